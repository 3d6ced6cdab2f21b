// Langevin dynamics driven by a score, plain and annealed over noise levels: Song & Ermon 2019,
// "Generative Modeling by Estimating Gradients of the Data Distribution", §2.2 (eq. 4) and Alg. 1.

import type {Denoiser, Points} from "../math/types.js";
import type {Schedule} from "../math/schedules.js";
import {fillNormal} from "../math/random.js";
import {program, type SamplerProgram, type Stage} from "./program.js";
import {
  alphaBarOf,
  checkSteps,
  collect,
  defaultSigmaMax,
  maxFiniteSigma,
  needRng,
  sigmaOf,
  startPoints,
  timestepAt,
  type SampleResult,
  type SamplerOptions,
  type SamplerSteps,
  type Start
} from "./common.js";

/** A score model: ∇_x log q_t(x) for n points x ([n, d]) at timestep index t (fractional allowed). */
export interface Score {
  readonly d: number;
  score(x: Points, t: number): Promise<Float64Array>;
}

/**
 * The score of an ε-denoiser: ∇_x log q_t(x) = −ε̂(x, t)/√(1−ᾱ_t). The score of the kernel
 * q(x_t | x0) is −ε/√(1−ᾱ_t), and averaging it over x0 given x_t gives the marginal's score
 * (Vincent 2011, denoising score matching; Ho et al. 2020, §3.2). Needs ᾱ_t < 1.
 */
export function scoreFromDenoiser(denoiser: Denoiser, schedule: Schedule): Score {
  return {
    d: denoiser.d,
    async score(x, t) {
      const eps = await denoiser.eps(x, t);
      const c = -1 / Math.sqrt(1 - alphaBarOf(schedule, t));
      const s = new Float64Array(eps.length);
      for (let k = 0; k < eps.length; k++) s[k] = c * eps[k];
      return s;
    }
  };
}

/** Options for {@link langevin}: `steps` updates of size δ = `delta` on q_t at timestep `t`. */
export interface LangevinOptions extends SamplerOptions {
  /** Step size δ > 0. */
  delta: number;
  /** Timestep index whose q_t is sampled; default 0 (the least noisy). */
  t?: number;
}

/**
 * x ← x + (δ/2)·∇log q_t(x) + √δ·z, z ~ N(0, I)   (Song & Ermon 2019, eq. 4)
 * Exact for q_t only as δ → 0 and steps → ∞; with few steps the chain stays near where it began,
 * so modes keep the mass of their basins of attraction rather than their weights.
 * The x0 of each state is Tweedie's x̂0 = (x + (1−ᾱ_t)·score)/√ᾱ_t; one score evaluation per step.
 */
export function langevinSteps(score: Score, schedule: Schedule, xT: Start, options: LangevinOptions): SamplerSteps {
  const {ts, sizes, perLevel} = langevinLevels(options);
  return levelSteps(score, schedule, xT, options, ts, sizes, perLevel);
}

/** The noise levels of a Langevin run: timesteps, step size at each, and updates per level. */
interface Levels {
  ts: number[];
  sizes: number[];
  perLevel: number;
}

function langevinLevels(options: LangevinOptions): Levels {
  return {ts: [options.t ?? 0], sizes: [checkDelta(options.delta)], perLevel: checkSteps(options.steps)};
}

/**
 * Langevin dynamics on an ε-denoiser as a {@link SamplerProgram}: with ∇log q_t = −ε̂/√(1−ᾱ_t),
 *   x' = x − (α/2)/√(1−ᾱ_t)·ε̂ + √α·z,   x̂0 = (x − √(1−ᾱ_t)·ε̂)/√ᾱ_t,
 * the update of {@link langevinSteps} on scoreFromDenoiser.
 */
export function langevinProgram(schedule: Schedule, options: LangevinOptions): SamplerProgram {
  return levelProgram(schedule, langevinLevels(options));
}

/** Annealed Langevin dynamics on an ε-denoiser as a {@link SamplerProgram} (see {@link langevinProgram}). */
export function annealedLangevinProgram(schedule: Schedule, options: AnnealedLangevinOptions): SamplerProgram {
  return levelProgram(schedule, annealedLevels(schedule, options));
}

function levelProgram(schedule: Schedule, {ts, sizes, perLevel}: Levels): SamplerProgram {
  const stages: Stage[] = [];
  ts.forEach((t, level) => {
    const ab = alphaBarOf(schedule, t), a = sizes[level];
    const x0 = {x: 1 / Math.sqrt(ab), eps: -Math.sqrt(1 - ab) / Math.sqrt(ab)};
    const x = {x: 1, eps: (-0.5 * a) / Math.sqrt(1 - ab), z: Math.sqrt(a)};
    for (let k = 0; k < perLevel; k++) stages.push({t, x0, x, state: {t, sigma: sigmaOf(ab)}});
  });
  return program({t: ts[0], sigma: sigmaOf(alphaBarOf(schedule, ts[0]))}, stages);
}

/** Options for {@link annealedLangevin}: `steps` updates in all, `steps/levels` per noise level. */
export interface AnnealedLangevinOptions extends SamplerOptions {
  /** Base step size δ: the step at the last (least noisy) level. */
  delta: number;
  /** Number of noise levels L (must divide `steps`); default 10. */
  levels?: number;
  /** Largest σ = √((1−ᾱ)/ᾱ); default min(80, the schedule's largest finite σ) (see defaultSigmaMax). */
  sigmaMax?: number;
  /** Smallest σ; default the schedule's σ at t = 0. */
  sigmaMin?: number;
}

/**
 * The noise levels of annealed Langevin: L σ's in geometric progression from σmax down to σmin, as
 * Song & Ermon 2019 choose them in their experiments (§5), mapped to timesteps by timestepForSigma.
 */
export function annealingTimesteps(schedule: Schedule, levels: number, sigmaMax: number, sigmaMin: number): number[] {
  checkSteps(levels);
  const lo = schedule.sigma[0];
  const hi = maxFiniteSigma(schedule);
  if (!(sigmaMin >= lo && sigmaMax <= hi && sigmaMin <= sigmaMax)) {
    throw new Error(`need ${lo} ≤ sigmaMin ≤ sigmaMax ≤ ${hi}, got ${sigmaMin}, ${sigmaMax}`);
  }
  const ts: number[] = [];
  for (let i = 0; i < levels; i++) {
    const sigma = levels === 1 ? sigmaMin : sigmaMax * Math.pow(sigmaMin / sigmaMax, i / (levels - 1));
    ts.push(timestepAt(schedule, sigma));
  }
  return ts;
}

/**
 * Annealed Langevin dynamics (Song & Ermon 2019, Alg. 1): for levels i = 1…L, K = steps/L updates
 *   x ← x + (α_i/2)·∇log q_{t_i}(x) + √α_i·z,   α_i = δ·σ_i²/σ_L².
 * Song & Ermon perturb data additively (x̃ = x + σ·z); here q_t is the variance-preserving marginal
 * √ᾱ_t·x0 + √(1−ᾱ_t)·ε, whose noise variance is 1−ᾱ_t, so σ_i² in the step rule is 1−ᾱ_{t_i}.
 * (In the variable x/√ᾱ, where the noise is additive with σ = √((1−ᾱ)/ᾱ), this is their rule with
 * δ rescaled by ᾱ_{t_L}, up to the rescaling of x between levels.) States report every update.
 */
export function annealedLangevinSteps(
  score: Score,
  schedule: Schedule,
  xT: Start,
  options: AnnealedLangevinOptions
): SamplerSteps {
  const {ts, sizes, perLevel} = annealedLevels(schedule, options);
  return levelSteps(score, schedule, xT, options, ts, sizes, perLevel);
}

function annealedLevels(schedule: Schedule, options: AnnealedLangevinOptions): Levels {
  const steps = checkSteps(options.steps);
  const L = options.levels ?? 10;
  if (!Number.isInteger(L) || L < 1 || steps % L !== 0) throw new Error(`levels (${L}) must divide steps (${steps})`);
  const ts = annealingTimesteps(
    schedule,
    L,
    options.sigmaMax ?? defaultSigmaMax(schedule),
    options.sigmaMin ?? schedule.sigma[0]
  );
  const delta = checkDelta(options.delta);
  const varL = 1 - alphaBarOf(schedule, ts[L - 1]);
  const sizes = ts.map((t) => (delta * (1 - alphaBarOf(schedule, t))) / varL);
  return {ts, sizes, perLevel: steps / L};
}

function checkDelta(delta: number): number {
  if (!(delta > 0 && Number.isFinite(delta))) throw new Error(`delta must be a positive number, got ${delta}`);
  return delta;
}

/** K Langevin updates at each (timestep, step size) pair in turn, one state per update. */
function levelSteps(
  model: Score,
  schedule: Schedule,
  xT: Start,
  options: SamplerOptions,
  ts: number[],
  sizes: number[],
  perLevel: number
): SamplerSteps {
  const rng = needRng(options.rng, "Langevin dynamics");
  const x = startPoints(xT, model.d, rng);
  return walk(x);

  async function* walk(x: Points): SamplerSteps {
    const steps = ts.length * perLevel;
    let nfe = 0;
    yield {i: 0, steps, t: ts[0], sigma: sigmaOf(alphaBarOf(schedule, ts[0])), x, x0: null, nfe};
    for (let level = 0; level < ts.length; level++) {
      const t = ts[level];
      const ab = alphaBarOf(schedule, t);
      const a = sizes[level];
      const sd = Math.sqrt(a);
      for (let k = 0; k < perLevel; k++) {
        const s = await model.score(x, t);
        nfe++;
        const z = fillNormal(new Float64Array(x.length), rng);
        const next = new Float64Array(x.length);
        const x0 = new Float64Array(x.length);
        for (let j = 0; j < x.length; j++) {
          // Tweedie: E[x0 | x_t] = (x_t + (1−ᾱ)·∇log q_t)/√ᾱ.
          x0[j] = (x[j] + (1 - ab) * s[j]) / Math.sqrt(ab);
          next[j] = x[j] + 0.5 * a * s[j] + sd * z[j];
        }
        x = next;
        yield {i: nfe, steps, t, sigma: sigmaOf(ab), x, x0, nfe};
      }
    }
  }
}

/** Plain Langevin dynamics (Song & Ermon 2019, eq. 4) run to the end: {x, nfe = steps, trajectory?}. */
export async function langevin(score: Score, schedule: Schedule, xT: Start, options: LangevinOptions): Promise<SampleResult> {
  return collect(langevinSteps(score, schedule, xT, options), options.trajectory);
}

/** Annealed Langevin dynamics (Song & Ermon 2019, Alg. 1) run to the end: {x, nfe = steps, trajectory?}. */
export async function annealedLangevin(
  score: Score,
  schedule: Schedule,
  xT: Start,
  options: AnnealedLangevinOptions
): Promise<SampleResult> {
  return collect(annealedLangevinSteps(score, schedule, xT, options), options.trajectory);
}
