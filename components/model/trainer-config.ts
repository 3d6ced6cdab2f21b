// How the Trainer is configured, apart from trainer.ts so that pages, the worker protocol and the
// defaults can use it without loading tfjs: the settings and their checks, the learning-rate schedule
// and the per-timestep loss weights.
import type {Prediction, ModelConfig} from "./denoiser-config.js";
import type {Schedule} from "../math/schedules.js";

/** How the EMA decay ramps up over the first updates (see emaDecayAt in ema.ts). */
export type EmaWarmup = "none" | "inverse";

/** Per-timestep loss weighting. "min-snr": Hang et al. (2023) Min-SNR-γ, the x0 error weighted by min(SNR, γ). */
export type LossWeighting = "none" | "min-snr";

/** Every setting of a Trainer: the network's shape, the optimiser, the EMA, the loss and the divergence test. */
export interface TrainerConfig {
  /** Network shape and prediction type. */
  model: ModelConfig;
  /** Peak learning rate of Adam (Kingma & Ba 2015). */
  lr: number;
  /** Linear warm-up from lr/warmupSteps to lr over this many steps (0: none). */
  warmupSteps: number;
  /** Cosine decay from lr to lr·minLrFraction over this many steps after warm-up, then constant (0: constant lr). */
  decaySteps: number;
  /** Where the cosine decay ends, as a fraction of lr. */
  minLrFraction: number;
  /** Adam's moment decays. */
  beta1: number;
  beta2: number;
  /** Points per step (drawn with replacement from the data). */
  batchSize: number;
  /** Largest EMA decay β; see emaDecayAt. */
  emaDecay: number;
  emaWarmup: EmaWarmup;
  /** Per-timestep loss weighting. */
  weighting: LossWeighting;
  /** γ of Min-SNR-γ. */
  snrGamma: number;
  /** Timestep buckets for the per-t loss. */
  buckets: number;
  /** A chunk whose step loss exceeds this multiple of the running median loss counts as diverged. */
  explodeFactor: number;
}

/** Throws a RangeError naming the first optimiser setting that cannot work. */
export function validateTrainerConfig(c: TrainerConfig): void {
  const check = (ok: boolean, what: string, v: unknown) => { if (!ok) throw new RangeError(`${what}, got ${String(v)}`); };
  const int = (v: number, min: number) => Number.isInteger(v) && v >= min;
  check(Number.isFinite(c.lr) && c.lr > 0, "lr must be a positive number", c.lr);
  check(int(c.warmupSteps, 0), "warmupSteps must be a non-negative integer", c.warmupSteps);
  check(int(c.decaySteps, 0), "decaySteps must be a non-negative integer", c.decaySteps);
  check(c.minLrFraction >= 0 && c.minLrFraction <= 1, "minLrFraction must lie in [0, 1]", c.minLrFraction);
  check(c.beta1 >= 0 && c.beta1 < 1 && c.beta2 >= 0 && c.beta2 < 1, "beta1 and beta2 must lie in [0, 1)", `${c.beta1}, ${c.beta2}`);
  check(int(c.batchSize, 1), "batchSize must be a positive integer", c.batchSize);
  check(c.emaDecay >= 0 && c.emaDecay < 1, "emaDecay must lie in [0, 1)", c.emaDecay);
  check(c.weighting === "none" || c.weighting === "min-snr", "weighting must be \"none\" or \"min-snr\"", c.weighting);
  check(Number.isFinite(c.snrGamma) && c.snrGamma > 0, "snrGamma must be positive", c.snrGamma);
  check(int(c.buckets, 1), "buckets must be a positive integer", c.buckets);
  check(c.explodeFactor > 1, "explodeFactor must exceed 1", c.explodeFactor);
}

/** Learning rate at step k (0-based): linear warm-up, then half-cosine decay, then constant. */
export function learningRateAt(k: number, c: Pick<TrainerConfig, "lr" | "warmupSteps" | "decaySteps" | "minLrFraction">): number {
  if (k < c.warmupSteps) return (c.lr * (k + 1)) / c.warmupSteps;
  if (c.decaySteps <= 0) return c.lr;
  const p = Math.min(1, (k - c.warmupSteps) / c.decaySteps);
  return c.lr * (c.minLrFraction + (1 - c.minLrFraction) * 0.5 * (1 + Math.cos(Math.PI * p)));
}

/**
 * Per-timestep loss weights for a prediction type: 1 for "none"; for Min-SNR-γ (Hang et al. 2023,
 * §3.4) the weight min(SNR, γ) on the x0 error, expressed in the units of the target:
 * ε: min(SNR, γ)/SNR, x0: min(SNR, γ), v: min(SNR, γ)/(SNR + 1).  → [T]
 */
export function lossWeights(schedule: Schedule, prediction: Prediction, weighting: LossWeighting, gamma: number): Float32Array {
  const w = new Float32Array(schedule.T);
  for (let t = 0; t < schedule.T; ++t) {
    if (weighting === "none") { w[t] = 1; continue; }
    const snr = schedule.snr[t], clipped = Math.min(snr, gamma);
    w[t] = prediction === "eps" ? clipped / snr : prediction === "x0" ? clipped : clipped / (snr + 1);
  }
  return w;
}
