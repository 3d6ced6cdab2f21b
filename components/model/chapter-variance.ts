// The Reverse process chapter's learned-variance model: the shipped model's recipe (data, optimiser,
// network) trained on Improved DDPM's hybrid loss, and what the chapter shows of it, computed once at
// build time (src/data/learned-variance.json.ts) so the page needs no network of its own: its Σθ
// averaged over noisy points at every step the chapter's chart draws, and DDPM's sample quality
// with each reverse variance on the trained network.
import {VarianceTrainer, VarianceNetwork, type VarianceModelFile} from "./learned-variance.js";
import {DEFAULT_CONFIG, DEFAULT_SCHEDULE} from "./defaults.js";
import {SHIPPED_MODEL} from "./shipped-model.js";
import {HYBRID_LAMBDA} from "../math/learned-variance.js";
import {sampleDataset} from "../math/datasets.js";
import {mixtureByName, sampleMixture} from "../math/mixture.js";
import {analyticVarianceRule} from "../math/analytic-dpm.js";
import {noiseWith} from "../math/forward.js";
import {fillNormal, rngFromSeed} from "../math/random.js";
import {makeSchedule, timestepForSigma, type ScheduleName} from "../math/schedules.js";
import {meanLearnedVariance} from "../samplers/learned-ddpm.js";
import {curveStarts, varianceSweep, type VarianceChoice} from "../samplers/variance-sweep.js";
import {STEP_LADDER, dataBaseline, swTo} from "../samplers/quality-sweep.js";
import {alphaBarOf} from "../samplers/common.js";

/** What the chapter's learned-variance model is trained on: the shipped model's data and settings, twice the steps. */
export const VARIANCE_MODEL = {
  ...SHIPPED_MODEL,
  /** ν sees a weak signal (λ = 0.001, and β ≈ β̃ over most of the schedule): measured to settle by ~2,000 steps. */
  steps: 2000,
  lambda: HYBRID_LAMBDA,
  schedule: DEFAULT_SCHEDULE,
} as const;

/** The chapter's chart and sweep settings the report is computed for (page/state/reverse.ts's REVERSE_T and RUN_STEPS). */
export interface ReportSpec {
  T: number;
  runSteps: readonly number[];
  schedules: readonly ScheduleName[];
  /** Start times per curve (varianceCurves' `points`). */
  points: number;
}

/** Learned σ² against t for one chapter schedule and step count, at varianceCurves' start times. */
export interface LearnedCurve {
  t: number[];
  learned: number[];
}

/** What the page reads. */
export interface VarianceReport {
  recipe: {dataset: string; steps: number; lambda: number; schedule: {name: string; T: number}};
  /** The last training chunk's L_simple and KL term (per coordinate). */
  training: {simple: number; vlb: number};
  /** curves[schedule][steps]. */
  curves: Record<string, Record<string, LearnedCurve>>;
  /** DDPM on the trained network's own schedule: SW₂ to held-out data per choice and step count (mean, sd over seeds). */
  quality: {floor: number; seeds: number[]; points: {key: string; steps: number; mean: number; sd: number; values: number[]}[]};
}

/** Trains the chapter's model (seeded: the same recipe gives the same weights). */
export async function trainVarianceModel(onChunk?: (step: number) => void): Promise<{file: VarianceModelFile; training: VarianceReport["training"]}> {
  const trainer = new VarianceTrainer({
    data: sampleDataset(VARIANCE_MODEL.dataset, VARIANCE_MODEL.n, rngFromSeed(VARIANCE_MODEL.dataSeed)),
    schedule: makeSchedule(VARIANCE_MODEL.schedule.name, VARIANCE_MODEL.schedule.T),
    config: DEFAULT_CONFIG, seed: VARIANCE_MODEL.seed, lambda: VARIANCE_MODEL.lambda,
  });
  try {
    let last = {simple: NaN, vlb: NaN};
    while (trainer.step < VARIANCE_MODEL.steps) {
      last = await trainer.runChunk(Math.min(100, VARIANCE_MODEL.steps - trainer.step));
      onChunk?.(trainer.step);
    }
    return {file: await trainer.file(), training: {simple: last.simple, vlb: last.vlb}};
  } finally {
    trainer.dispose();
  }
}

/**
 * The report of a trained model. Curves: for each chapter schedule and step count, at each start t of
 * the chapter's chart, the mean over 500 data points noised to ᾱ_t of Σθ for the step t → t − stride,
 * ν read at the network's timestep of the same noise level. Quality: DDPM with σ² = β, β̃, Analytic-DPM's
 * σ*² and the learned Σθ, all on the trained network's ε̂, at STEP_LADDER step counts, three seeds of
 * 1,000 samples, SW₂ to 1,000 held-out points of the exact mixture (as the chapter's exact sweep).
 */
export async function varianceReport(file: VarianceModelFile, training: VarianceReport["training"], spec: ReportSpec): Promise<VarianceReport> {
  const network = new VarianceNetwork(file), den = network.denoiser(), mixture = mixtureByName(VARIANCE_MODEL.mixture);
  try {
    const x0 = sampleMixture(mixture, 500, rngFromSeed(4242));
    const curves: VarianceReport["curves"] = {};
    for (const name of spec.schedules) {
      const schedule = makeSchedule(name, spec.T);
      curves[name] = {};
      for (const steps of spec.runSteps) {
        const stride = Math.round(spec.T / steps), curve: LearnedCurve = {t: [], learned: []};
        for (const t of curveStarts(spec.T, stride, spec.points)) {
          const abT = alphaBarOf(schedule, t), abS = alphaBarOf(schedule, t - stride);
          const xt = noiseWith(x0, fillNormal(new Float64Array(x0.length), rngFromSeed(t)), abT);
          const tModel = timestepForSigma(network.schedule, Math.sqrt((1 - abT) / abT));
          curve.t.push(t);
          curve.learned.push(await meanLearnedVariance(den, tModel, abT, abS, xt));
        }
        curves[name][String(steps)] = curve;
      }
    }
    const choices: VarianceChoice[] = [
      {key: "beta", label: "β", variance: "beta"}, {key: "betaTilde", label: "β̃", variance: "betaTilde"},
      {key: "analytic", label: "σ*²", variance: analyticVarianceRule(mixture)}, {key: "learned", label: "Σθ", variance: "learned"},
    ];
    const heldOut = sampleMixture(mixture, 1000, rngFromSeed(777)), quality = swTo(heldOut), seeds = [1, 2, 3];
    const floor = await dataBaseline((k) => sampleMixture(mixture, 1000, rngFromSeed(1000 + k)), quality);
    const points: VarianceReport["quality"]["points"] = [];
    for await (const p of varianceSweep({denoiser: den, schedule: network.schedule, choices, steps: STEP_LADDER, seeds, n: 1000, score: quality})) {
      points.push({key: p.key, steps: p.steps, mean: p.mean, sd: p.sd, values: p.values});
    }
    const {name, T} = file.network.schedule;
    return {recipe: {dataset: VARIANCE_MODEL.dataset, steps: VARIANCE_MODEL.steps, lambda: VARIANCE_MODEL.lambda, schedule: {name, T}}, training, curves, quality: {floor, seeds, points}};
  } finally {
    network.dispose();
  }
}
