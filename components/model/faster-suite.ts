// Every fast-sampling method of the /faster chapter, run on one teacher as one stream of events:
// the teacher's own samplers at each NFE, progressive distillation's halving rounds, a consistency
// model, rectified flow and one reflow round — each student trained live, then sampled and scored by
// sliced Wasserstein to held-out data. The worker forwards the events to the page; the tests, the
// bench and scripts/faster-quality.ts read the same stream.
import {Student, flowField, flowSample, studentGrid} from "./distill.js";
import {SharedTimeNetwork} from "./shared-time.js";
import {sampleOnDeviceProgram} from "./device-sampler.js";
import {MLPDenoiser} from "./denoiser.js";
import type {WeightsFile} from "./weights.js";
import {SHIPPED_MODEL} from "./shipped-model.js";
import {samplerByName} from "../samplers/index.js";
import {pathCurvature} from "../math/flow.js";
import {qualityYardstick, type QualityYardstick} from "../math/metrics.js";
import {sampleDataset} from "../math/datasets.js";
import {gridPoints} from "../math/point-grid.js";
import {fillNormal, rngFromSeed} from "../math/random.js";
import type {Schedule} from "../math/schedules.js";
import type {Points, Rng} from "../math/types.js";
import {DEFAULT_SUITE, FIELD_GRID, FIELD_TAUS, NFE_LADDER, PATHS_SHOWN, PD_ROUNDS, consistencyTimes, type FasterMethod, type SuiteEvent, type SuiteOptions} from "./faster-config.js";

export {FASTER_METHODS, DEFAULT_SUITE, type FasterMethod, type SuiteEvent, type SuiteOptions} from "./faster-config.js";

/** Euler steps and points with which trajectory curvature is measured. */
const CURVATURE = {steps: 32, n: 500} as const;

/**
 * Runs the methods of `options.methods` on the teacher in `file` (its EMA weights), yielding
 * progress per chunk, each trained round's loss, the quality (SW₂ to the yardstick's held-out points)
 * and wall ms of n samples at each NFE, and rectified flow's curvature, paths and learned velocity
 * field before and after reflow.
 */
export async function* runFasterSuite(file: WeightsFile, schedule: Schedule, partial: Partial<SuiteOptions> = {}): AsyncGenerator<SuiteEvent, void, void> {
  const o: SuiteOptions = {...DEFAULT_SUITE, ...partial};
  const dataset = file.dataset && file.dataset !== "drawn" ? file.dataset : SHIPPED_MODEL.dataset;
  const data = sampleDataset(dataset, SHIPPED_MODEL.n, rngFromSeed(SHIPPED_MODEL.dataSeed));
  const yardstick = qualityYardstick((n, rng) => sampleDataset(dataset, n, rng));
  const teacherWeights = file.ema ?? file.weights;
  const xT = () => fillNormal(new Float64Array(o.n * file.config.d), rngFromSeed(10_000 + o.seed));
  const runs = new Set(o.methods);
  const common = {config: file.config, schedule, data, seed: o.seed};
  yield {type: "floor", value: yardstick.reference};

  if (runs.has("DDPM") || runs.has("DDIM") || runs.has("DPM-Solver++")) yield* teacherSamplers(file.config, teacherWeights, schedule, runs, xT, yardstick, o.seed);

  if (runs.has("Progressive distillation")) {
    let previous = teacherWeights;
    for (const N of PD_ROUNDS) {
      const student = new Student({...common, kind: "pd", init: previous, teacher: previous, steps: N, decaySteps: o.pdSteps});
      try {
        yield* train(student, "Progressive distillation", `${2 * N} → ${N} steps`, o.pdSteps, o.chunk);
        yield await quality("Progressive distillation", N, yardstick, async () => (await student.sample(xT())).x);
        previous = await student.weights();
      } finally {
        student.dispose();
      }
    }
  }

  if (runs.has("Consistency model")) {
    const student = new Student({...common, kind: "cm", init: teacherWeights, teacher: teacherWeights, steps: 20, decaySteps: o.cmSteps});
    try {
      yield* train(student, "Consistency model", "distilled from the PF-ODE", o.cmSteps, o.chunk);
      for (const times of consistencyTimes(schedule.T)) yield await quality("Consistency model", times.length, yardstick, async () => (await student.sample(xT(), {times, seed: 30_000 + o.seed})).x);
    } finally {
      student.dispose();
    }
  }

  if (runs.has("Rectified flow") || runs.has("Rectified flow, reflowed")) {
    const flow = new Student({...common, kind: "rf", init: teacherWeights, decaySteps: o.rfSteps, lr: 2e-3});
    let pairs: {x0: Points; z: Points}, reflowInit: Float32Array[];
    try {
      yield* train(flow, "Rectified flow", "flow matching on data", o.rfSteps, o.chunk);
      yield* flowQuality(flow.model, "Rectified flow", yardstick, xT);
      const z = fillNormal(new Float64Array(o.reflowPairs * file.config.d), rngFromSeed(20_000 + o.seed));
      pairs = {z, x0: (await flowSample(flow.model, {z}, o.reflowOdeSteps)).x};
      reflowInit = await flow.weights();
    } finally {
      flow.dispose();
    }
    if (runs.has("Rectified flow, reflowed")) {
      const reflow = new Student({...common, kind: "rf", init: reflowInit, pairs, decaySteps: o.rfSteps, lr: 2e-3, seed: o.seed + 1});
      try {
        yield* train(reflow, "Rectified flow, reflowed", "reflow on its own couplings", o.rfSteps, o.chunk);
        yield* flowQuality(reflow.model, "Rectified flow, reflowed", yardstick, xT);
      } finally {
        reflow.dispose();
      }
    }
  }
}

async function* train(student: Student, method: FasterMethod, round: string, steps: number, chunk: number): AsyncGenerator<SuiteEvent, void, void> {
  const start = performance.now();
  let first = NaN, last = NaN;
  while (student.step < steps) {
    const r = await student.runChunk(Math.min(chunk, steps - student.step));
    if (Number.isNaN(first)) first = r.loss;
    last = r.loss;
    yield {type: "progress", method, round, step: student.step, steps, loss: r.loss, losses: r.losses};
  }
  yield {type: "round-end", method, round, steps, firstLoss: first, lastLoss: last, ms: performance.now() - start};
}

async function quality(method: FasterMethod, nfe: number, yardstick: QualityYardstick, draw: () => Promise<Points>): Promise<SuiteEvent> {
  const start = performance.now();
  const x = await draw();
  const ms = performance.now() - start;
  return {type: "quality", method, nfe, sw: yardstick.distance(x), ms, x};
}

async function* flowQuality(model: MLPDenoiser, method: FasterMethod, yardstick: QualityYardstick, xT: () => Points): AsyncGenerator<SuiteEvent, void, void> {
  for (const nfe of NFE_LADDER.filter((k) => k <= 32)) yield await quality(method, nfe, yardstick, async () => (await flowSample(model, {z: xT()}, nfe)).x);
  const z = fillNormal(new Float64Array(CURVATURE.n * model.config.d), rngFromSeed(40_000));
  const {path} = await flowSample(model, {z}, CURVATURE.steps, true);
  yield {type: "curvature", method, value: pathCurvature(path!, model.config.d)};
  yield {type: "paths", method, path: path!.map((x) => x.slice(0, PATHS_SHOWN * model.config.d))};
  yield {type: "field", method, velocity: await flowField(model, gridPoints(FIELD_GRID.k, FIELD_GRID.extent), FIELD_TAUS)};
}

async function* teacherSamplers(config: WeightsFile["config"], weights: Float32Array[], schedule: Schedule, runs: Set<FasterMethod>, xT: () => Points, yardstick: QualityYardstick, seed: number): AsyncGenerator<SuiteEvent, void, void> {
  const model = new MLPDenoiser(config, weights);
  const net = new SharedTimeNetwork(model);
  try {
    for (const nfe of NFE_LADDER) {
      const grid = {steps: nfe, timesteps: studentGrid(schedule.T, nfe)};
      const onDevice = async (name: string, rng?: Rng) => (await sampleOnDeviceProgram(net, schedule, samplerByName(name).program(schedule, grid), xT(), rng)).x;
      if (runs.has("DDPM")) yield await quality("DDPM", nfe, yardstick, () => onDevice("ddpm", rngFromSeed(50_000 + seed)));
      if (runs.has("DDIM")) yield await quality("DDIM", nfe, yardstick, () => onDevice("ddim"));
      if (runs.has("DPM-Solver++")) yield await quality("DPM-Solver++", nfe, yardstick, () => onDevice("dpm-solver++"));
    }
  } finally {
    net.dispose();
    model.dispose();
  }
}
