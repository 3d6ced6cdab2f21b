// Every schedule on one forward-step axis k = 0..T (k = 0 is the clean data), so β schedules and
// the EDM/Karras σ grid can be drawn on the same ᾱ, β and log-SNR axes and used to noise the
// same points. No DOM.
import {alphaBarAfter, karrasSigmas, makeSchedule, type KarrasOptions, type ScheduleName, type ScheduleOptions} from "./schedules.js";

/** The four β schedules plus the EDM/Karras σ grid. */
export type CompareName = ScheduleName | "karras";

/** The compared schedules in display order, with a label and a colour each. */
export const COMPARED: readonly {name: CompareName; label: string; color: string}[] = [
  {name: "linear", label: "Linear", color: "#4269d0"},
  {name: "scaled-linear", label: "Scaled linear", color: "#efb118"},
  {name: "cosine", label: "Cosine", color: "#ff725c"},
  {name: "sigmoid", label: "Sigmoid", color: "#3ca951"},
  {name: "karras", label: "EDM / Karras", color: "#a463f2"},
];

/** A schedule as seen by the forward process, indexed by steps taken k = 0..T (length T + 1). */
export interface ForwardCurve {
  name: CompareName;
  T: number;
  /** ᾱ after k steps; alphaBar[0] = 1. */
  alphaBar: Float64Array;
  /** β of step k, 1 − ᾱ_k/ᾱ_{k−1}; beta[0] = NaN (no step taken). */
  beta: Float64Array;
  /** log(ᾱ_k/(1 − ᾱ_k)); +∞ at k = 0, −∞ where ᾱ_k = 0. */
  logSnr: Float64Array;
}

/**
 * The Karras et al. 2022 (eq. 5) grid of n = T noise levels read as a forward process:
 * σ after k steps is σ_{T−k} of the descending grid (σ_T = 0 at k = 0, σmax at k = T).
 * Returns σ for k = 0..T, ascending.
 */
export function karrasForwardSigmas(T: number, opts: KarrasOptions = {}): Float64Array {
  return karrasSigmas(T, opts).reverse();
}

/**
 * ᾱ for a variance-exploding noise level: x = x0 + σε has the same signal-to-noise ratio as
 * x/√(1+σ²) = √ᾱ·x0 + √(1−ᾱ)·ε with ᾱ = 1/(1 + σ²), so log-SNR = −2 log σ.
 */
export const alphaBarOfSigma = (sigma: number): number => 1 / (1 + sigma * sigma);

/** β_k = 1 − ᾱ_k/ᾱ_{k−1} for k = 1..K from ᾱ_0..ᾱ_K (ᾱ_0 = 1); out[0] = NaN. */
export function impliedBetas(alphaBar: Float64Array): Float64Array {
  const out = new Float64Array(alphaBar.length);
  out[0] = NaN;
  for (let k = 1; k < alphaBar.length; ++k) out[k] = alphaBar[k - 1] > 0 ? 1 - alphaBar[k] / alphaBar[k - 1] : 1;
  return out;
}

/**
 * The forward curve of a named schedule with T steps. β schedules come from `makeSchedule`
 * (options betaStart/betaEnd, s, zeroTerminalSnr as there); "karras" reads sigmaMin/sigmaMax/rho
 * and ignores zeroTerminalSnr (its terminal SNR is 1/σmax², zero only as σmax → ∞).
 * log-SNR is taken from the schedule's own accurate arrays (or −2 log σ), not recomputed from ᾱ,
 * which loses precision where ᾱ ≈ 1.
 */
export function forwardCurve(name: CompareName, T: number, opts: ScheduleOptions & KarrasOptions = {}): ForwardCurve {
  const alphaBar = new Float64Array(T + 1), logSnr = new Float64Array(T + 1);
  if (name === "karras") {
    const sigma = karrasForwardSigmas(T, opts);
    for (let k = 0; k <= T; ++k) {
      alphaBar[k] = alphaBarOfSigma(sigma[k]);
      logSnr[k] = -2 * Math.log(sigma[k]);
    }
    return {name, T, alphaBar, beta: impliedBetas(alphaBar), logSnr};
  }
  const schedule = makeSchedule(name, T, opts);
  logSnr[0] = Infinity;
  for (let k = 0; k <= T; ++k) alphaBar[k] = alphaBarAfter(schedule, k);
  logSnr.set(schedule.logSnr, 1);
  const beta = new Float64Array(T + 1);
  beta[0] = NaN;
  beta.set(schedule.betas, 1);
  return {name, T, alphaBar, beta, logSnr};
}

/** What is left of the data in x_T = √ᾱ·x0 + √(1−ᾱ)·ε (see `leftover`). */
export interface Leftover {
  /** Pearson correlation of x_T with x0, both coordinates pooled, each centred on its own mean. */
  corr: number;
  /** Mean x-coordinate of x0 over points with x0.x > 0 minus that over the rest. */
  gap0: number;
  /** The same difference for x_T, grouping by x0's side: √ᾱ·gap0 plus the noise's share. */
  gapT: number;
}

/**
 * Measures the signal a terminal ᾱ leaves in x_T = √ᾱ·x0 + √(1−ᾱ)·ε (Lin et al. 2024, §2):
 * with independent ε, corr → √ᾱ·s/√(ᾱs² + 1 − ᾱ) for data of per-coordinate scale s, and
 * gapT → √ᾱ·gap0. With ᾱ = 0 both show only the sampling noise of ε itself.
 * x0, eps: [n, 2] interleaved.
 */
export function leftover(x0: Float64Array, eps: Float64Array, alphaBar: number): Leftover {
  if (x0.length !== eps.length || x0.length % 2) throw new RangeError("leftover: x0 and eps must be [n, 2] of equal length");
  const n = x0.length / 2, a = Math.sqrt(alphaBar), b = Math.sqrt(1 - alphaBar);
  const xt = (i: number) => a * x0[i] + b * eps[i];
  const mean0 = [0, 0], meanT = [0, 0];
  for (let i = 0; i < x0.length; ++i) {
    mean0[i & 1] += x0[i] / n;
    meanT[i & 1] += xt(i) / n;
  }
  let sxy = 0, sxx = 0, syy = 0;
  let right = 0, right0 = 0, rightT = 0, left0 = 0, leftT = 0;
  for (let i = 0; i < x0.length; ++i) {
    const u = x0[i] - mean0[i & 1], v = xt(i) - meanT[i & 1];
    sxy += u * v; sxx += u * u; syy += v * v;
    if (i & 1) continue; // the sides are split on the x-coordinate
    if (x0[i] > 0) {
      right++;
      right0 += x0[i];
      rightT += xt(i);
    } else {
      left0 += x0[i];
      leftT += xt(i);
    }
  }
  const left = n - right;
  const diff = (r: number, l: number) => (right && left ? r / right - l / left : NaN);
  return {corr: sxy / Math.sqrt(sxx * syy), gap0: diff(right0, left0), gapT: diff(rightT, leftT)};
}

/**
 * `points` split by the side of the matching clean point: [those whose x0 has x ≤ 0, those with x > 0].
 * x0, points: [n, 2] interleaved, the same n (points may be x0 itself or x_t of the same points).
 */
export function splitBySide(x0: Float64Array, points: Float64Array): [Float64Array, Float64Array] {
  if (x0.length !== points.length) throw new RangeError("splitBySide: x0 and points must have the same length");
  const left: number[] = [], right: number[] = [];
  for (let i = 0; i < x0.length; i += 2) (x0[i] > 0 ? right : left).push(points[i], points[i + 1]);
  return [Float64Array.from(left), Float64Array.from(right)];
}

/** The mean point of [n, 2] points (NaN for none). */
export function meanOf(points: Float64Array): [number, number] {
  let x = 0, y = 0;
  for (let i = 0; i < points.length; i += 2) {
    x += points[i];
    y += points[i + 1];
  }
  return [(2 * x) / points.length, (2 * y) / points.length];
}
