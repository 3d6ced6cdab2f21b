// What a denoiser can be trained to output — the noise ε, the clean point x0, the velocity v or the
// score — is one quantity in four units: given x_t and ᾱ, each determines the other three. And the
// reverse model's mean μ_θ is a fixed linear function of any of them.
import {posteriorBetween} from "./forward.js";

/** The four units of a denoiser's output. */
export type Unit = "eps" | "x0" | "v" | "score";

/** The units in the order a page lists them. */
export const UNITS: readonly Unit[] = ["eps", "x0", "v", "score"];

/** One prediction in all four units; each array has the length of x_t ([n, d]). */
export interface FourUnits {
  eps: Float64Array;
  x0: Float64Array;
  v: Float64Array;
  score: Float64Array;
}

/**
 * The other three units of a prediction `value` given in `unit`, at x_t with noise level ᾱ ∈ (0, 1).
 * With a = √ᾱ and b = √(1−ᾱ), from x_t = a·x0 + b·ε:
 *   x0 = (x_t − b·ε)/a                                  (Ho et al. 2020, eq. 4 solved for x0)
 *   v  = a·ε − b·x0,   so x0 = a·x_t − b·v,  ε = b·x_t + a·v   (Salimans & Ho 2022, §4 and App. D)
 *   ∇log q_t = −ε/b                                      (Tweedie; Song et al. 2021, App. B)
 * Exact for exact inputs: a network's ε̂, x̂0 or v̂ converted this way is the same model in new units.
 * value, xt: [n, d], same length.
 */
export function fromUnit(unit: Unit, value: Float64Array, xt: Float64Array, alphaBar: number): FourUnits {
  if (!(alphaBar > 0 && alphaBar < 1)) throw new RangeError(`fromUnit: ᾱ must lie in (0, 1), got ${alphaBar}`);
  if (value.length !== xt.length) throw new RangeError(`fromUnit: length mismatch ${value.length} vs ${xt.length}`);
  if (!UNITS.includes(unit)) throw new RangeError(`fromUnit: unknown unit ${String(unit)}`);
  const a = Math.sqrt(alphaBar), b = Math.sqrt(1 - alphaBar), n = xt.length;
  const eps = new Float64Array(n);
  for (let i = 0; i < n; ++i) {
    const x = xt[i], u = value[i];
    eps[i] = unit === "eps" ? u : unit === "x0" ? (x - a * u) / b : unit === "v" ? b * x + a * u : -b * u;
  }
  const x0 = new Float64Array(n), v = new Float64Array(n), score = new Float64Array(n);
  for (let i = 0; i < n; ++i) {
    x0[i] = unit === "x0" ? value[i] : (xt[i] - b * eps[i]) / a;
    v[i] = a * eps[i] - b * x0[i];
    score[i] = -eps[i] / b;
  }
  return {eps, x0, v, score};
}

/**
 * The reverse model's mean written through ε (Ho et al. 2020, eq. 11), for a step from t to any
 * earlier s:
 *   μ_θ(x_t) = (x_t − β/√(1−ᾱ_t)·ε_θ)/√α,   α = ᾱ_t/ᾱ_s, β = 1 − α
 * (on the full grid α, β are the schedule's α_t, β_t). It equals the posterior mean μ̃(x_t, x̂0) of
 * `posteriorBetween` at x̂0 = (x_t − √(1−ᾱ_t)·ε_θ)/√ᾱ_t, and with the exact ε (= E[ε | x_t]) it is
 * the exact E[x_s | x_t]. xt, eps: [n, d]; returns [n, d].
 */
export function meanFromEps(xt: Float64Array, eps: Float64Array, alphaBarT: number, alphaBarS: number): Float64Array {
  posteriorBetween(alphaBarT, alphaBarS); // checks 0 ≤ ᾱ_t < ᾱ_s ≤ 1
  if (eps.length !== xt.length) throw new RangeError(`meanFromEps: length mismatch ${eps.length} vs ${xt.length}`);
  const alpha = alphaBarT / alphaBarS, c = (1 - alpha) / Math.sqrt(1 - alphaBarT), k = 1 / Math.sqrt(alpha);
  const out = new Float64Array(xt.length);
  for (let i = 0; i < xt.length; ++i) out[i] = (xt[i] - c * eps[i]) * k;
  return out;
}
