// Integrals against a 2D Gaussian mixture by the midpoint rule on a grid fitted to its components:
// deterministic, and for integrands that are smooth on the scale of the narrowest component far more
// accurate than Monte Carlo at the same cost (no seed, no sampling noise in small differences).
import type {Mixture} from "./mixture.js";
import type {Points} from "./types.js";

/** Cell centres of a regular grid ([n, 2]) and the area h² of one cell. */
export interface QuadratureNodes {
  points: Points;
  area: number;
  /** Grid spacing h. */
  h: number;
}

/** Options for {@link quadratureNodes}. */
export interface QuadratureOptions {
  /** Half-width of each component's box, in its largest standard deviation (default 7). */
  reach?: number;
  /** Cells per smallest standard deviation (default 2). */
  perSigma?: number;
  /** Most cells along a side; past it h grows and accuracy drops (default 500). */
  maxSide?: number;
}

/** Standard deviations along the principal axes of [σxx, σxy, σyy]: [smaller, larger]. */
export function principalStds([sxx, sxy, syy]: readonly [number, number, number]): [number, number] {
  const mid = (sxx + syy) / 2, r = Math.hypot((sxx - syy) / 2, sxy);
  return [Math.sqrt(Math.max(0, mid - r)), Math.sqrt(mid + r)];
}

/**
 * The midpoint rule's nodes for ∫ p(x)·f(x) dx, p the mixture `m`: the union of the boxes
 * μ_k ± reach·σ_max,k of every component carrying at least 1e-12 of the weight, cut into square cells
 * of side h = σ_min/perSigma (σ_min the smallest axis of those components). For a Gaussian integrand
 * the midpoint rule's error falls like exp(−2π²σ²/h²) (Trefethen & Weideman 2014, "The exponentially
 * convergent trapezoidal rule", SIAM Review 56, §5) and the mass beyond `reach` standard deviations
 * is e^{−reach²/2}, both below 1e-10 at the defaults. Integrands built from a mixture's score or log
 * density also change across the narrow band where two components trade responsibility (width
 * ~σ²/distance), where the density is small: at the defaults the site's mixtures give E‖∇log q‖²
 * and KL divergences within 1e-4 (relative) of a grid 3× finer and wider. Then
 * Σ_i p(x_i)·f(x_i)·area ≈ ∫ p·f.
 */
export function quadratureNodes(m: Mixture, {reach = 7, perSigma = 2, maxSide = 500}: QuadratureOptions = {}): QuadratureNodes {
  const total = m.weights.reduce((a, b) => a + b, 0);
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity, sigmaMin = Infinity;
  m.weights.forEach((w, k) => {
    if (!(w >= 1e-12 * total)) return;
    const [small, large] = principalStds(m.covs[k]), [mx, my] = m.means[k];
    sigmaMin = Math.min(sigmaMin, small);
    x0 = Math.min(x0, mx - reach * large); x1 = Math.max(x1, mx + reach * large);
    y0 = Math.min(y0, my - reach * large); y1 = Math.max(y1, my + reach * large);
  });
  if (!(sigmaMin > 0 && Number.isFinite(x1 - x0 + y1 - y0))) throw new RangeError("quadratureNodes: the mixture needs a component with positive weight and a positive-definite covariance");
  const h = Math.max(sigmaMin / perSigma, (x1 - x0) / maxSide, (y1 - y0) / maxSide);
  const nx = Math.ceil((x1 - x0) / h), ny = Math.ceil((y1 - y0) / h);
  const points = new Float64Array(2 * nx * ny);
  for (let j = 0; j < ny; ++j) {
    for (let i = 0; i < nx; ++i) {
      points[2 * (j * nx + i)] = x0 + (i + 0.5) * h;
      points[2 * (j * nx + i) + 1] = y0 + (j + 0.5) * h;
    }
  }
  return {points, area: h * h, h};
}
