// Editing with an unconditional denoiser: SDEdit (noise the given points part of the way, then
// denoise) and inpainting by replacement (keep the known coordinates on their forward-noised values
// while the sampler fills in the rest). Both run on any Denoiser.
import type {Denoiser, Points, Rng} from "../math/types.js";
import type {Schedule} from "../math/schedules.js";
import {fillNormal, rngFromSeed} from "../math/random.js";
import {alphaBarOf, counting, needRng, predictX0, sigmaOf, type SamplerSteps} from "./common.js";
import {gridTimesteps} from "./grid.js";
import {ddpmStep, ddpmSteps, type DdpmVariance} from "./ddpm.js";
import {ddimSteps} from "./ddim.js";
import {drain} from "./paced.js";

/** Options for {@link sdeditSteps}. */
export interface SdeditOptions {
  /** Where the edit starts: timestep index t₀ ∈ [0, T−1] (fractional allowed). 0 keeps the points nearly as they are. */
  t0: number;
  /** Steps a run from T−1 would take; a run from t₀ takes the same share of them, at least 1. */
  steps: number;
  /** Noise for x_{t₀} and, when stochastic, for every step. */
  rng: Rng;
  /** true (default): DDPM ancestral steps, the reverse SDE SDEdit uses; false: deterministic DDIM. */
  stochastic?: boolean;
  /** DDPM's reverse variance (default "beta"). */
  variance?: DdpmVariance;
}

/** The descending timesteps from t₀ towards 0: k = max(1, round(steps·t₀/(T−1))) evenly spaced, t₀·(1 − i/k). */
export function sdeditTimesteps(schedule: Schedule, t0: number, steps: number): number[] {
  if (!(t0 >= 0 && t0 <= schedule.T - 1)) throw new RangeError(`t0 must be in [0, ${schedule.T - 1}], got ${t0}`);
  if (!(Number.isInteger(steps) && steps >= 1)) throw new RangeError(`steps must be a positive integer, got ${steps}`);
  const k = t0 === 0 ? 1 : Math.max(1, Math.round((steps * t0) / (schedule.T - 1)));
  return Array.from({length: k}, (_, i) => t0 * (1 - i / k));
}

/**
 * SDEdit (Meng et al. 2022, "SDEdit: Guided Image Synthesis and Editing with Stochastic Differential
 * Equations", Algorithm 1): x_{t₀} = √ᾱ_{t₀}·x + √(1−ᾱ_{t₀})·z, then the reverse process from t₀ to
 * clean data. Small t₀ keeps the points (faithful), large t₀ forgets them (realistic): at t₀ = T−1
 * it is plain sampling. The first state is x_{t₀}. x: [n, d].
 */
export function sdeditSteps(denoiser: Denoiser, schedule: Schedule, x: Points, {t0, steps, rng, stochastic = true, variance = "beta"}: SdeditOptions): SamplerSteps {
  if (x.length % denoiser.d) throw new RangeError(`points have ${x.length} numbers, not a multiple of d = ${denoiser.d}`);
  const ts = sdeditTimesteps(schedule, t0, steps), ab = alphaBarOf(schedule, ts[0]);
  const z = fillNormal(new Float64Array(x.length), rng), start = new Float64Array(x.length);
  for (let i = 0; i < x.length; ++i) start[i] = Math.sqrt(ab) * x[i] + Math.sqrt(1 - ab) * z[i];
  const options = {steps: ts.length, timesteps: ts, rng};
  return stochastic ? ddpmSteps(denoiser, schedule, start, {...options, variance}) : ddimSteps(denoiser, schedule, start, {...options, eta: 0});
}

/** Options for {@link replacementSteps}. */
export interface ReplacementOptions {
  /** Sampler steps on the "trailing" grid (default T: every timestep). */
  steps?: number;
  rng: Rng;
  /** DDPM's reverse variance (default "beta"). */
  variance?: DdpmVariance;
  /**
   * RePaint's resampling (Lugmayr et al. 2022, Algorithm 1, U): after each step, noise the result
   * back one step and redo it, U times in all; 1 (default) is plain replacement.
   */
  resample?: number;
}

/**
 * Inpainting by replacement with DDPM ancestral steps: after every step t → s the known coordinates
 * (mask[j] true) are overwritten with a fresh forward-noised copy of their values,
 * √ᾱ_s·known + √(1−ᾱ_s)·z (Lugmayr et al. 2022, "RePaint", eq. 8; the imputation of Song et al.
 * 2021, "Score-Based Generative Modeling through SDEs", App. I, called the replacement method by Ho et al. 2022, "Video Diffusion Models", §3.1), and at the end with
 * the values themselves. The unknown coordinates see the known ones only through the noisy copies,
 * which is why the result is not a sample of p(unknown | known) (Ho et al. 2022 §3.1 show the bias;
 * the guidance chapter measures it against the exact conditional). known: [n, d]; mask: [d].
 */
export function replacementSteps(denoiser: Denoiser, schedule: Schedule, known: Points, mask: readonly boolean[], options: ReplacementOptions): SamplerSteps {
  const d = denoiser.d, {variance = "beta", resample = 1} = options;
  if (mask.length !== d) throw new RangeError(`mask has ${mask.length} entries for d = ${d}`);
  if (known.length % d) throw new RangeError(`known points have ${known.length} numbers, not a multiple of d = ${d}`);
  if (!(Number.isInteger(resample) && resample >= 1)) throw new RangeError(`resample must be a positive integer, got ${resample}`);
  const rng = needRng(options.rng, "inpainting");
  const ts = gridTimesteps(schedule, {steps: options.steps ?? schedule.T});
  const abs = [...ts.map((t) => alphaBarOf(schedule, t)), 1];
  const normal = (length: number) => fillNormal(new Float64Array(length), rng);
  /** x with its known coordinates replaced by √ᾱ·known + √(1−ᾱ)·z (exactly `known` at ᾱ = 1). */
  const replace = (x: Points, alphaBar: number): Points => {
    const z = alphaBar < 1 ? normal(x.length) : null;
    for (let i = 0; i < x.length; ++i) {
      if (mask[i % d]) x[i] = Math.sqrt(alphaBar) * known[i] + (z ? Math.sqrt(1 - alphaBar) * z[i] : 0);
    }
    return x;
  };
  const x = replace(normal(known.length), abs[0]);
  return walk(counting(denoiser), x);

  async function* walk(net: ReturnType<typeof counting>, x: Points): SamplerSteps {
    const steps = ts.length;
    yield {i: 0, steps, t: ts[0], sigma: sigmaOf(abs[0]), x, x0: null, nfe: 0};
    for (let i = 0; i < steps; ++i) {
      const last = i + 1 === steps;
      let x0: Points = x, next: Points = x;
      for (let u = 0; u < (last ? 1 : resample); ++u) {
        const eps = await net.eps(x, ts[i]);
        x0 = predictX0(x, eps, abs[i]);
        next = replace(ddpmStep(x, eps, abs[i], abs[i + 1], variance, last ? null : normal(x.length)), abs[i + 1]);
        if (u + 1 < resample && !last) {
          // Back to t: x_t ~ N(√(ᾱ_t/ᾱ_s)·x_s, (1 − ᾱ_t/ᾱ_s)·I), one forward jump (RePaint, Alg. 1, line 11).
          const a = abs[i] / abs[i + 1], z = normal(x.length);
          x = next.map((v, k) => Math.sqrt(a) * v + Math.sqrt(1 - a) * z[k]);
        }
      }
      x = next;
      yield {i: i + 1, steps, t: last ? -1 : ts[i + 1], sigma: last ? 0 : sigmaOf(abs[i + 1]), x, x0, nfe: net.nfe};
    }
  }
}

/** One edit of {@link sdeditSweep}. */
export interface SdeditPoint {
  t0: number;
  /** The edited points, [n, d]. */
  x: Points;
}

/**
 * SDEdit of the same points at each t₀ of `t0s`, with the same noise for every t₀ (seeded by `seed`), so the
 * curve of any measure against t₀ shows the effect of t₀ rather than of the draw. Time-sliced; stops when
 * `signal` aborts.
 */
export async function* sdeditSweep({denoiser, schedule, x, t0s, steps, seed, signal, sliceMs}: {
  denoiser: Denoiser; schedule: Schedule; x: Points; t0s: readonly number[]; steps: number; seed: number; signal?: AbortSignal; sliceMs?: number;
}): AsyncGenerator<SdeditPoint, void, void> {
  for (const t0 of t0s) {
    let last: Points | null = null;
    const complete = await drain(sdeditSteps(denoiser, schedule, x, {t0, steps, rng: rngFromSeed(seed)}), (s) => { last = s.x; }, {signal, sliceMs});
    if (!complete || !last) return;
    yield {t0, x: last};
  }
}
