// Sampling cost: what one denoiser evaluation on 2,000 points costs — the trained network (the
// shipped weights, EMA) on each backend, computed as it was trained (the reference, "before") and
// with e(t) folded into the biases (networkDenoiser, "after"), and the exact mixture denoiser in JS —
// with the kernels each evaluation launches; and the wall time of every sampler at its default step
// count for each, plus DDPM and DDIM with the state kept on the backend (Trainer.sample), in a blank
// page of the built site. Before and after run in the same page, so their ratio is of one moment.
import type {Page} from "playwright-core";
import type {Schedule} from "../components/math/schedules.js";
import type {Denoiser} from "../components/math/types.js";
import {BACKENDS, blankPage, componentModules, fileAttachment, notMeasured, useBackend, type Modules} from "./page.js";
import type {BenchContext, Row, Section} from "./section.js";
import {round, summarise} from "./stats.js";
import {YARDSTICK} from "../components/math/metrics.js";

/** Points per evaluation and per sampler run: the time-to-quality yardstick's. */
const N = YARDSTICK.n;
/** Timed evaluations: at least MIN_EVALS, more while under EVAL_BUDGET_MS, at most MAX_EVALS. */
const MIN_EVALS = 8;
const MAX_EVALS = 40;
const EVAL_BUDGET_MS = 2500;
/**
 * Backends whose trained denoiser runs every sampler. On the others a run costs about NFE × their
 * ms per evaluation (the sampling section): ms/NFE on wasm stays within a few ms of wasm's evaluation
 * time, and running all seven samplers on webgl took ~80 s of a loaded machine for that same finding.
 */
const SAMPLER_BACKENDS = ["wasm"];

/** The denoiser under test, kept on the page's globalThis.benchDenoiser between evaluate calls. */
interface UnderTest {
  denoiser: Denoiser;
  schedule: Schedule;
  /** The shipped network's Trainer (absent for the exact mixture). */
  trainer?: import("../components/model/trainer.js").Trainer;
  dispose(): void;
}
type PageGlobals = {benchDenoiser?: UnderTest};

/**
 * Which denoiser a page function builds: the shipped network (on the active backend) as it was
 * trained (referenceDenoiser: e(t) tiled to every point, one op per layer) or as samplers get it
 * (networkDenoiser: e(t) folded into the biases, fused matmuls), or the exact mixture in JS.
 */
type Which = "reference" | "trained" | "exact";

/** What each Which is called in the tables. */
const LABELS: Record<Which, string> = {reference: "network as trained (before)", trained: "network, shared t (after)", exact: "exact mixture"};

interface Setup {
  modules: Modules;
  /** URL path of the shipped weights file. */
  model: string;
  which: Which;
}

/**
 * Page-side: the denoiser under test, on the shipped model's schedule. "trained": Trainer.fromFile
 * of the weights file, read through denoiser("ema"); "reference": referenceDenoiser of the same model
 * and EMA weights; "exact": exactDenoiser of the "ring" mixture the shipped model learned.
 * Stored on globalThis.benchDenoiser so the evaluations that follow reuse it (with the Trainer, for
 * Trainer.sample).
 */
function prepare(page: Page, setup: Setup): Promise<void> {
  return page.evaluate(async ({modules, model, which}) => {
    const {Trainer}: typeof import("../components/model/trainer.js") = await import(modules["model/trainer"]);
    const {makeSchedule}: typeof import("../components/math/schedules.js") = await import(modules["math/schedules"]);
    const {sampleDataset}: typeof import("../components/math/datasets.js") = await import(modules["math/datasets"]);
    const {rngFromSeed}: typeof import("../components/math/random.js") = await import(modules["math/random"]);
    const {parseWeightsFile}: typeof import("../components/model/weights.js") = await import(modules["model/weights"]);
    const {referenceDenoiser}: typeof import("../components/model/network-denoiser.js") = await import(modules["model/network-denoiser"]);
    const {exactDenoiser, mixtureByName}: typeof import("../components/math/mixture.js") = await import(modules["math/mixture"]);
    const {SHIPPED_MODEL}: typeof import("../components/model/shipped-model.js") = await import(modules["model/shipped-model"]);
    const file = parseWeightsFile(await (await fetch(model)).text());
    const schedule = makeSchedule(file.schedule.name, file.schedule.T);
    const g = globalThis as PageGlobals;
    g.benchDenoiser?.dispose();
    if (which === "exact") {
      g.benchDenoiser = {denoiser: exactDenoiser(mixtureByName(SHIPPED_MODEL.mixture), schedule), schedule, dispose() {}};
      return;
    }
    // The data only feeds training, which does not happen here; the network comes from the file.
    const data = sampleDataset(SHIPPED_MODEL.dataset, 1000, rngFromSeed(SHIPPED_MODEL.dataSeed));
    const trainer = Trainer.fromFile(file, data);
    const denoiser = which === "trained" ? trainer.denoiser("ema") : referenceDenoiser(trainer.model, schedule, () => trainer.ema.weights());
    g.benchDenoiser = {denoiser, schedule, trainer, dispose: () => trainer.dispose()};
  }, setup);
}

/**
 * Page-side: ms per `eps` call on N points of N(0, I) (one untimed warm-up call per timestep used),
 * cycling through timesteps across the schedule (fractional ones too, as σ-grid samplers ask), and
 * the spread of ε̂ as a check that the output is not garbage.
 */
function evalTimes(page: Page, modules: Modules): Promise<EvalTimes> {
  return page.evaluate(async ({modules, n, min, max, budget}) => {
    const tf: typeof import("../components/vendor/tfjs.js") = await import(modules["vendor/tfjs"]);
    const {denoiser, schedule} = (globalThis as PageGlobals).benchDenoiser!;
    let s = 0x2545f491;
    const uniform = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
    const xt = Float64Array.from({length: 2 * n}, () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()));
    const T = schedule.T;
    const ts = [T - 1, 0.75 * T + 0.5, T / 2, T / 4 + 0.5, 1];
    for (const t of ts) await denoiser.eps(xt, t);
    const ms: number[] = [];
    let total = 0, sq = 0, count = 0;
    while (ms.length < min || (total < budget && ms.length < max)) {
      const start = performance.now();
      const eps = await denoiser.eps(xt, ts[ms.length % ts.length]);
      const dt = performance.now() - start;
      ms.push(dt);
      total += dt;
      for (const e of eps) { sq += e * e; ++count; }
    }
    const profile = await tf.profile(async () => { await denoiser.eps(xt, ts[1]); });
    return {ms, epsStd: Math.sqrt(sq / count), kernels: profile.kernels.length};
  }, {modules, n: N, min: MIN_EVALS, max: MAX_EVALS, budget: EVAL_BUDGET_MS});
}

interface EvalTimes {
  ms: number[];
  epsStd: number;
  /** Kernels one evaluation launches (tf.profile), upload and readback aside; 0 for the mixture in JS. */
  kernels: number;
}

/**
 * Page-side: DDIM with DEVICE_STEPS steps run by Trainer.sample (x_t kept on the backend, one
 * readback): median wall ms per step over a few runs after a warm-up, and the kernels one step
 * launches (tf.profile of runs of 1 and 3 steps: the difference over 2).
 */
function deviceStepTimes(page: Page, modules: Modules): Promise<EvalTimes> {
  return page.evaluate(async ({modules, n, steps, budget}) => {
    const tf: typeof import("../components/vendor/tfjs.js") = await import(modules["vendor/tfjs"]);
    const {ddimRule}: typeof import("../components/samplers/ddim.js") = await import(modules["samplers/ddim"]);
    const {rngFromSeed}: typeof import("../components/math/random.js") = await import(modules["math/random"]);
    const {trainer} = (globalThis as PageGlobals).benchDenoiser!;
    const run = (k: number) => trainer!.sample(ddimRule(0), {n}, {steps: k, rng: rngFromSeed(7)});
    await run(steps);
    const ms: number[] = [];
    let total = 0, sq = 0;
    while (ms.length < 3 || (total < budget && ms.length < 10)) {
      const start = performance.now();
      const {x} = await run(steps);
      const dt = performance.now() - start;
      ms.push(dt / steps);
      total += dt;
      sq = x.reduce((a, v) => a + v * v, 0) / x.length;
    }
    const one = await tf.profile(async () => { await run(1); });
    const three = await tf.profile(async () => { await run(3); });
    return {ms, epsStd: Math.sqrt(sq), kernels: (three.kernels.length - one.kernels.length) / 2};
  }, {modules, n: N, steps: DEVICE_STEPS, budget: EVAL_BUDGET_MS});
}

/** Steps of the DDIM run timed on the device path (the figure: DDIM-50 on 2,000 points). */
const DEVICE_STEPS = 50;

interface SamplerRun {
  name: string;
  label: string;
  steps: number;
  nfe: number;
  ms: number;
  /** Sliced Wasserstein distance from the samples to N held-out points of the data set. */
  sw: number;
}

/**
 * Page-side: every sampler of the SAMPLERS table at its default step count clamped to the schedule's T
 * (sampling-plan's defaultSteps), N points from x_T ~ N(0, I), seeded; wall time of `run`, and the
 * distance of its samples to held-out data by the time-to-quality yardstick (qualityYardstick), beside
 * the yardstick's reference (SW between independent draws of the data), for scale.
 */
function runSamplers(page: Page, modules: Modules, device = false): Promise<{runs: SamplerRun[]; reference: number}> {
  return page.evaluate(async ({modules, n, device}) => {
    const {SAMPLERS}: typeof import("../components/samplers/index.js") = await import(modules["samplers/index"]);
    const {defaultSteps}: typeof import("../components/samplers/sampling-plan.js") = await import(modules["samplers/sampling-plan"]);
    const {sampleDataset}: typeof import("../components/math/datasets.js") = await import(modules["math/datasets"]);
    const {rngFromSeed}: typeof import("../components/math/random.js") = await import(modules["math/random"]);
    const {qualityYardstick}: typeof import("../components/math/metrics.js") = await import(modules["math/metrics"]);
    const {SHIPPED_MODEL}: typeof import("../components/model/shipped-model.js") = await import(modules["model/shipped-model"]);
    const {denoiser, schedule, trainer} = (globalThis as PageGlobals).benchDenoiser!;
    const {reference, distance} = qualityYardstick((count, rng) => sampleDataset(SHIPPED_MODEL.dataset, count, rng), {n});
    const runs: SamplerRun[] = [];
    for (const entry of SAMPLERS) {
      if (device && !entry.rule) continue;
      const steps = defaultSteps(entry, schedule);
      const options = {steps, rng: rngFromSeed(7)};
      const start = performance.now();
      const result = device ? await trainer!.sample(entry.rule!(options), {n}, options) : await entry.run(denoiser, schedule, {n}, options);
      const ms = performance.now() - start;
      runs.push({name: entry.name, label: entry.label, steps, nfe: result.nfe, ms, sw: distance(result.x)});
    }
    return {runs, reference};
  }, {modules, n: N, device});
}

/** Page-side: frees the denoiser's tensors. */
function disposeDenoiser(page: Page): Promise<void> {
  return page.evaluate(() => {
    const g = globalThis as PageGlobals;
    g.benchDenoiser?.dispose();
    delete g.benchDenoiser;
  });
}

export const sampling: Section = {
  name: "sampling",
  about: `one denoiser evaluation (eps) on ${N} points, in a blank page of the built site, per backend: the shipped network (weights file → Trainer.fromFile, EMA weights, upload and readback included) as it was trained (referenceDenoiser: e(t) tiled to every point, one op per layer; "before") and as samplers get it (networkDenoiser: e(t) folded into the biases, fused matmul+bias+ReLU; "after"), ${MIN_EVALS}–${MAX_EVALS} timed calls (~${EVAL_BUDGET_MS / 1000} s) over t ∈ {T−1 … 1} after a warm-up call per t; "per DDIM step on device" = Trainer.sample's DDIM-${DEVICE_STEPS} (x_t kept on the backend, one readback) ÷ ${DEVICE_STEPS}; the exact "ring" mixture denoiser in JS for scale; vs before = ms ÷ the network as trained on the same backend; kernels = kernels one evaluation (or one device step) launches, by tf.profile — the figure that predicts speed on a real GPU, where each costs a dispatch; ε std = RMS of ε̂ (≈ 1 when sane; for the device row, RMS of the samples)`,
  async run(context: BenchContext): Promise<Row[]> {
    const modules = await componentModules(context.site);
    const model = await fileAttachment(context.site, "data", "model.json");
    const rows: Row[] = [];
    const row = (denoiser: string, backend: string, build: string, r: EvalTimes, before: number): Row => {
      const s = summarise(r.ms);
      return {denoiser, backend, build, points: N, evals: r.ms.length, "median ms": round(s.median, 2), "p95 ms": round(s.p95, 2), "vs before": round(s.median / before, 2), kernels: r.kernels, "ε std": round(r.epsStd, 3)};
    };
    for (const backend of BACKENDS) {
      const skip = notMeasured(context, backend);
      if (skip) {
        rows.push({denoiser: "trained (EMA)", backend, note: skip});
        continue;
      }
      const bench = await blankPage(context);
      try {
        const status = await useBackend(bench.page, modules, backend);
        if (!status.ok) {
          rows.push({denoiser: "trained (EMA)", backend, note: `unavailable: ${status.reason}`});
          continue;
        }
        await prepare(bench.page, {modules, model, which: "reference"});
        const before = await evalTimes(bench.page, modules);
        const beforeMs = summarise(before.ms).median;
        rows.push(row(LABELS.reference, backend, status.variant, before, beforeMs));
        await prepare(bench.page, {modules, model, which: "trained"});
        rows.push(row(LABELS.trained, backend, status.variant, await evalTimes(bench.page, modules), beforeMs));
        rows.push(row(`per DDIM step on device (DDIM-${DEVICE_STEPS} ÷ ${DEVICE_STEPS})`, backend, status.variant, await deviceStepTimes(bench.page, modules), beforeMs));
        if (backend === "wasm") {
          await prepare(bench.page, {modules, model, which: "exact"});
          rows.push(row(LABELS.exact, "JS", "", await evalTimes(bench.page, modules), beforeMs));
        }
        await disposeDenoiser(bench.page);
        const problems = bench.problems();
        if (problems.length) throw new Error(`${backend} page had problems:\n  ${problems.join("\n  ")}`);
      } finally {
        await bench.close();
      }
    }
    return rows;
  },
};

export const samplers: Section = {
  name: "samplers",
  about: `every sampler of the SAMPLERS table at its default step count clamped to T (sampling-plan's defaultSteps), ${N} points from seeded x_T ~ N(0, I), with the exact "ring" mixture denoiser (JS) and with the shipped network (EMA) on ${SAMPLER_BACKENDS.join(" and ")} (elsewhere ≈ NFE × the sampling section's ms per evaluation): as trained ("before", referenceDenoiser), with e(t) folded into the biases ("after", networkDenoiser), and for DDPM and DDIM also on device (Trainer.sample: x_t kept on the backend, one readback), all in one page; wall ms of the run; ms/NFE = wall ÷ evaluations; vs before = wall ÷ the network-as-trained run's; vs exact = wall ÷ the exact denoiser's; SW = sliced Wasserstein (${YARDSTICK.projections} directions) of the samples to ${N} held-out data points, beside SW between two independent draws of the data (mean of ${YARDSTICK.pairs} pairs: what a perfect sampler scores, give or take ~2×)`,
  async run(context: BenchContext): Promise<Row[]> {
    const modules = await componentModules(context.site);
    const model = await fileAttachment(context.site, "data", "model.json");
    const rows: Row[] = [];
    const exactMs = new Map<string, number>(), beforeMs = new Map<string, number>();
    const add = (denoiser: string, {runs, reference}: {runs: SamplerRun[]; reference: number}) => {
      for (const r of runs) {
        if (denoiser === LABELS.exact) exactMs.set(r.name, r.ms);
        if (denoiser.startsWith(LABELS.reference)) beforeMs.set(r.name, r.ms);
        rows.push({
          sampler: r.name, steps: r.steps, NFE: r.nfe, denoiser, "wall ms": Math.round(r.ms), "ms/NFE": round(r.ms / r.nfe, 2),
          "vs before": round(r.ms / (beforeMs.get(r.name) ?? NaN), 2), "vs exact": round(r.ms / (exactMs.get(r.name) ?? NaN), 1),
          SW: round(r.sw, 4), "SW data↔data": round(reference, 4),
        });
      }
    };
    for (const backend of SAMPLER_BACKENDS) {
      const bench = await blankPage(context);
      try {
        const status = await useBackend(bench.page, modules, backend);
        if (!status.ok) {
          rows.push({denoiser: `trained (EMA), ${backend}`, note: `unavailable: ${status.reason}`});
          continue;
        }
        if (backend === SAMPLER_BACKENDS[0]) {
          await prepare(bench.page, {modules, model, which: "exact"});
          add(LABELS.exact, await runSamplers(bench.page, modules));
        }
        await prepare(bench.page, {modules, model, which: "reference"});
        add(`${LABELS.reference}, ${backend}`, await runSamplers(bench.page, modules));
        await prepare(bench.page, {modules, model, which: "trained"});
        add(`${LABELS.trained}, ${backend}`, await runSamplers(bench.page, modules));
        add(`network on device (Trainer.sample), ${backend}`, await runSamplers(bench.page, modules, true));
        await disposeDenoiser(bench.page);
        const problems = bench.problems();
        if (problems.length) throw new Error(`${backend} page had problems:\n  ${problems.join("\n  ")}`);
      } finally {
        await bench.close();
      }
    }
    // One table sorted by sampler, so each sampler's denoisers sit together.
    const order = rows.map((r) => r.sampler);
    return rows.sort((a, b) => order.indexOf(a.sampler) - order.indexOf(b.sampler));
  },
};
