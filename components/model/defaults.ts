// The trainer's defaults, the only module that declares them; free of tfjs, so pages can read them.
// Also measured by `npm run bench` (training-run).
import type {ScheduleSpec} from "../math/schedules.js";
import type {TrainerConfig} from "./trainer-config.js";

/** The schedule the defaults were measured with: build it with makeSchedule(name, T). */
export const DEFAULT_SCHEDULE: ScheduleSpec = {name: "cosine", T: 100};

/**
 * Chosen for time to quality: training steps until 2,000 DDPM-50 samples from the EMA weights are
 * within 1.5× of the data-vs-data sliced Wasserstein distance (SW₂, 128 directions, mean of 5 pairs of
 * 2,000) from 2,000 held-out points. `npx tsx scripts/ttq.ts --backend wasm --seeds 1,2,3,4,5` on the
 * default data set "ring" (8 Gaussians), T = 100 cosine:
 *   these defaults                      75–125 steps (seeds 1–5: 125 75 75 100 125)
 *   … without Fourier features          575, 575, and 3 of 5 seeds not within 2,000 steps
 *   … with ε- instead of v-prediction   1225, 1800, and 3 of 5 not within 2,000
 *   … with lr 1e-3                      175–425 (median 200)
 *   … with batch 512                    75–100 (median 75), each step ~1.7× the cost
 *   naive: lr 1e-3, batch 512, T = 1000 linear, 3×128, ε, EMA 0.999: 2,500 steps (seed 2); seed 1
 *     not within 8,000 (`--configs naive --seeds 1,2 --max-steps 8000 --eval-every 250`)
 * Wall time to quality in headless Chromium (wasm, SIMD, 1 thread) on a 2-core machine that other jobs
 * kept at load ~5: 2.5–6.5 s, 14–34 ms/step; Node cpu backend (`scripts/ttq.ts`, seeds 1–3): 9–13 s.
 * Wasm in Node and in Chromium gave identical SW curves; the cpu backend the same step counts.
 * Width 32 at batch 512 reached quality in 50–100 steps of ~0.75× the cost on "ring"; width 64 is kept
 * for headroom on the harder sets (checkerboard, letters), where neither was measured to the end.
 */
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
