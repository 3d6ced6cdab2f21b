// Straight paths: flow matching / rectified flow for Gaussian mixtures, the curvature of a sampler's
// trajectories, and the rescaling under which a DDIM step is an Euler step. No DOM, no tfjs.
import type {Mixture} from "./mixture.js";
import type {Points} from "./types.js";

/**
 * The exact rectified-flow velocity of a 2D Gaussian mixture (Liu, Gong & Liu 2023, eq. 1; Lipman et
 * al. 2023, conditional flow matching with σ_min = 0): along x_τ = (1−τ)·x0 + τ·z, x0 ~ m, z ~ N(0, I),
 *   v(x, τ) = E[z − x0 | x_τ = x] = Σ_k γ_k(x)·v_k(x),
 * with, given component k, x_τ ~ N(m_k, S_k), m_k = (1−τ)μ_k, S_k = (1−τ)²Σ_k + τ²I, and
 *   v_k = (τI − (1−τ)Σ_k)·S_k⁻¹(x − m_k) − μ_k      (E[z|x,k] − E[x0|x,k], Gaussian conditioning),
 *   γ_k ∝ w_k N(x; m_k, S_k)                         (the mixture posterior).
 * Flow matching's network regresses z − x0 on x_τ, so this is what it learns in the limit. Sampling
 * integrates dx/dτ = v from τ = 1 (noise) down to τ = 0 (data). xt, out: [n, 2]; τ ∈ [0, 1] (at τ = 0
 * the field is −x, at τ = 1 it is x − E[μ]).
 */
export function flowVelocity(m: Mixture, tau: number, xt: Points, out = new Float64Array(xt.length)): Float64Array {
  if (!(tau >= 0 && tau <= 1)) throw new RangeError(`flowVelocity: tau must be in [0, 1], got ${tau}`);
  const K = m.weights.length, total = m.weights.reduce((a, b) => a + b, 0), s = 1 - tau;
  // Per component: S⁻¹ (symmetric 2×2), A = (τI − sΣ)S⁻¹, and the log normaliser.
  const comp = m.covs.map(([sxx, sxy, syy], k) => {
    const a = s * s * sxx + tau * tau, b = s * s * sxy, c = s * s * syy + tau * tau, det = a * c - b * b;
    if (!(det > 0)) throw new RangeError(`flowVelocity: component ${k} is degenerate at tau = ${tau}`);
    const ixx = c / det, ixy = -b / det, iyy = a / det;
    const mxx = tau - s * sxx, mxy = -s * sxy, myy = tau - s * syy;
    return {
      logC: Math.log(m.weights[k] / total) - 0.5 * Math.log(det),
      ixx, ixy, iyy,
      axx: mxx * ixx + mxy * ixy, axy: mxx * ixy + mxy * iyy, ayx: mxy * ixx + myy * ixy, ayy: mxy * ixy + myy * iyy,
      mx: s * m.means[k][0], my: s * m.means[k][1], ux: m.means[k][0], uy: m.means[k][1],
    };
  });
  const logs = new Float64Array(K);
  for (let i = 0; i < xt.length; i += 2) {
    const x = xt[i], y = xt[i + 1];
    let max = -Infinity;
    comp.forEach((c, k) => {
      const dx = x - c.mx, dy = y - c.my;
      logs[k] = c.logC - 0.5 * (c.ixx * dx * dx + 2 * c.ixy * dx * dy + c.iyy * dy * dy);
      if (logs[k] > max) max = logs[k];
    });
    let sum = 0, vx = 0, vy = 0;
    comp.forEach((c, k) => {
      const g = Math.exp(logs[k] - max), dx = x - c.mx, dy = y - c.my;
      sum += g;
      vx += g * (c.axx * dx + c.axy * dy - c.ux);
      vy += g * (c.ayx * dx + c.ayy * dy - c.uy);
    });
    out[i] = vx / sum;
    out[i + 1] = vy / sum;
  }
  return out;
}

/**
 * The law of x_τ = (1−τ)·x0 + τ·z for x0 ~ m and z ~ N(0, I): the mixture with the same weights,
 * means (1−τ)μ_k and covariances (1−τ)²Σ_k + τ²I (the marginal the flow's network is trained on).
 */
export function flowMarginal(m: Mixture, tau: number): Mixture {
  const s = 1 - tau;
  return {
    weights: [...m.weights],
    means: m.means.map(([x, y]) => [s * x, s * y]),
    covs: m.covs.map(([sxx, sxy, syy]) => [s * s * sxx + tau * tau, s * s * sxy, s * s * syy + tau * tau]),
  };
}

/**
 * How far a learned velocity field is from the exact one at the same points, relative to the exact
 * field's size, each point weighted by w_i (default 1):
 *   √(Σ_i w_i·|v_learned,i − v_exact,i|² / Σ_i w_i·|v_exact,i|²).
 * 0 when they agree, 1 when the learned field is zero. With w_i the density of x_τ at point i, the
 * error counts where samples pass, not the empty corners the network never trains on.
 * learned, exact: [n, d]; weights: [n].
 */
export function fieldError(learned: Float64Array, exact: Float64Array, weights?: Float64Array): number {
  if (learned.length !== exact.length) throw new RangeError(`fieldError: ${learned.length} learned values against ${exact.length} exact ones`);
  const d = weights ? exact.length / weights.length : 1;
  let diff = 0, size = 0;
  for (let k = 0; k < exact.length; ++k) {
    const w = weights ? weights[Math.floor(k / d)] : 1;
    diff += w * (learned[k] - exact[k]) ** 2;
    size += w * exact[k] ** 2;
  }
  return Math.sqrt(diff / size);
}

/**
 * Straight-line interpolation of flow matching: x_τ = (1−τ)·x0 + τ·z and its velocity target z − x0
 * (Liu et al. 2023, eq. 1). x0, z: [n, d]; writes x_τ and the target.
 */
export function interpolate(x0: Points, z: Points, tau: number): {xt: Points; target: Points} {
  const xt = new Float64Array(x0.length), target = new Float64Array(x0.length);
  for (let k = 0; k < x0.length; ++k) {
    xt[k] = (1 - tau) * x0[k] + tau * z[k];
    target[k] = z[k] - x0[k];
  }
  return {xt, target};
}

/**
 * Euler's method on dx/dτ = v(x, τ) from τ = 1 to 0 in `steps` equal steps:
 *   x_{τ−h} = x_τ − h·v(x_τ, τ),  h = 1/steps.
 * Returns every state (steps + 1 of them, x_1 = z first), so curvature can be measured.
 */
export function eulerFlow(velocity: (x: Points, tau: number) => Float64Array, z: Points, steps: number): Points[] {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`eulerFlow: steps must be a positive integer, got ${steps}`);
  const path = [Float64Array.from(z)];
  let x = path[0];
  for (let i = 0; i < steps; ++i) {
    const tau = 1 - i / steps, h = 1 / steps, v = velocity(x, tau);
    x = x.map((xi, k) => xi - h * v[k]);
    path.push(x);
  }
  return path;
}

/**
 * Curvature of trajectories as the straightness deficit 1 − |x_end − x_start| / (path length),
 * averaged over the n trajectories: 0 for a straight path walked in one direction, → 1 for a path
 * that returns to its start; a quarter circle scores 1 − 2√2/π ≈ 0.0997. Scale-free, so a sampler's
 * trajectory in x and in any rescaling of it by one factor per step are not comparable: measure every
 * method in the same coordinates (here: the states x along the path). A trajectory of zero length
 * counts 0. path: states [steps + 1] of [n, d].
 */
export function pathCurvature(path: readonly Points[], d: number): number {
  if (path.length < 2) throw new RangeError("pathCurvature: a path needs at least two states");
  const n = path[0].length / d;
  let total = 0;
  for (let i = 0; i < n; ++i) {
    let length = 0, chord = 0;
    for (let s = 1; s < path.length; ++s) length += dist(path[s], path[s - 1], i, d);
    chord = dist(path[path.length - 1], path[0], i, d);
    total += length > 0 ? 1 - chord / length : 0;
  }
  return total / n;
}

function dist(a: Points, b: Points, i: number, d: number): number {
  let s = 0;
  for (let c = 0; c < d; ++c) s += (a[i * d + c] - b[i * d + c]) ** 2;
  return Math.sqrt(s);
}

/**
 * DDIM (η = 0) as Euler's method on the rescaled probability-flow ODE (Song, Meng & Ermon 2021,
 * eq. 14; Karras et al. 2022, §3): with x̄ = x/√ᾱ and σ = √((1−ᾱ)/ᾱ) the ODE is dx̄/dσ = ε(x̄, σ), and
 * one Euler step from σ_t to σ_s with the slope ε̂ taken at the start is
 *   x̄_s = x̄_t + (σ_s − σ_t)·ε̂,   x_s = √ᾱ_s·x̄_s.
 * This equals DDIM's x_s = √ᾱ_s·x̂0 + √(1−ᾱ_s)·ε̂ term by term (x̂0 = x̄_t − σ_t·ε̂), which the tests
 * check against the samplers' ddimStep. xt, eps: [n, d].
 */
export function eulerRescaledStep(xt: Points, eps: Float64Array, alphaBarT: number, alphaBarS: number): Points {
  const sigmaT = Math.sqrt((1 - alphaBarT) / alphaBarT), sigmaS = Math.sqrt((1 - alphaBarS) / alphaBarS);
  const scaleT = 1 / Math.sqrt(alphaBarT), scaleS = Math.sqrt(alphaBarS);
  return xt.map((x, k) => scaleS * (x * scaleT + (sigmaS - sigmaT) * eps[k]));
}
