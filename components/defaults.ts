// The trainer's defaults, apart from trainer.ts so that pages can read them without loading tfjs.
// Measured with scripts/ttq.ts and `npm run bench` (training-run): these reach the time-to-quality
// bar (EMA samples within 1.5× the data-vs-data sliced Wasserstein) in ~150 steps, ~2.5 s on wasm.
import type {ScheduleName} from "./schedules.js";
import type {TrainerConfig} from "./trainer.js";

/** The schedule the defaults were measured with: build it with makeSchedule(name, T). */
export const DEFAULT_SCHEDULE: {name: ScheduleName; T: number} = {name: "cosine", T: 100};

/** Defaults; see DEFAULT_CONFIG's comment for the measurement behind them. */
export const DEFAULT_CONFIG: TrainerConfig = {
  model: {width: 64, depth: 3, activation: "relu", prediction: "v", embedDim: 32, timeInput: "input", fourierFeatures: 16, fourierScale: 0.25},
  lr: 1e-2,
  warmupSteps: 20,
  decaySteps: 1000,
  minLrFraction: 0.1,
  beta1: 0.9,
  beta2: 0.999,
  batchSize: 256,
  emaDecay: 0.995,
  emaWarmup: "inverse",
  weighting: "none",
  snrGamma: 5,
  buckets: 10,
  explodeFactor: 1e3,
};
