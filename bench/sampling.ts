// Sampling cost: what one denoiser evaluation on 2,000 points costs — the trained
// network (the shipped weights, EMA) on each backend and the exact mixture denoiser in JS — and the
// wall time of every sampler at its default step count for both, in a blank page of the built site.
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
  dispose(): void;
}
type PageGlobals = {benchDenoiser?: UnderTest};

/** Which denoiser a page function builds: the shipped network (on the active backend) or the exact mixture. */
type Which = "trained" | "exact";

interface Setup {
  modules: Modules;
  /** URL path of the shipped weights file. */
  model: string;
  which: Which;
}

/**
 * Page-side: the denoiser under test, on the shipped model's schedule. "trained": Trainer.fromFile
 * of the weights file, read through denoiser("ema"); "exact": exactDenoiser of the "ring" mixture the
 * shipped model learned.
 * Stored on globalThis.benchDenoiser so the evaluations that follow reuse it.
 */
function prepare(page: Page, setup: Setup): Promise<void> {
  return page.evaluate(async ({modules, model, which}) => {
    const {Trainer}: typeof import("../components/model/trainer.js") = await import(modules["model/trainer"]);
    const {makeSchedule}: typeof import("../components/math/schedules.js") = await import(modules["math/schedules"]);
    const {sampleDataset}: typeof import("../components/math/datasets.js") = await import(modules["math/datasets"]);
    const {rngFromSeed}: typeof import("../components/math/random.js") = await import(modules["math/random"]);
    const {parseWeightsFile}: typeof import("../components/model/weights.js") = await import(modules["model/weights"]);
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
    g.benchDenoiser = {denoiser: trainer.denoiser("ema"), schedule, dispose: () => trainer.dispose()};
  }, setup);
}

/**
 * Page-side: ms per `eps` call on N points of N(0, I) (one untimed warm-up call per timestep used),
 * cycling through timesteps across the schedule (fractional ones too, as σ-grid samplers ask), and
 * the spread of ε̂ as a check that the output is not garbage.
 */
function evalTimes(page: Page): Promise<{ms: number[]; epsStd: number}> {
  return page.evaluate(async ({n, min, max, budget}) => {
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
    return {ms, epsStd: Math.sqrt(sq / count)};
  }, {n: N, min: MIN_EVALS, max: MAX_EVALS, budget: EVAL_BUDGET_MS});
}

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
function runSamplers(page: Page, modules: Modules): Promise<{runs: SamplerRun[]; reference: number}> {
  return page.evaluate(async ({modules, n}) => {
    const {SAMPLERS}: typeof import("../components/samplers/index.js") = await import(modules["samplers/index"]);
    const {defaultSteps}: typeof import("../components/samplers/sampling-plan.js") = await import(modules["samplers/sampling-plan"]);
    const {sampleDataset}: typeof import("../components/math/datasets.js") = await import(modules["math/datasets"]);
    const {rngFromSeed}: typeof import("../components/math/random.js") = await import(modules["math/random"]);
    const {qualityYardstick}: typeof import("../components/math/metrics.js") = await import(modules["math/metrics"]);
    const {SHIPPED_MODEL}: typeof import("../components/model/shipped-model.js") = await import(modules["model/shipped-model"]);
    const {denoiser, schedule} = (globalThis as PageGlobals).benchDenoiser!;
    const {reference, distance} = qualityYardstick((count, rng) => sampleDataset(SHIPPED_MODEL.dataset, count, rng), {n});
    const runs: SamplerRun[] = [];
    for (const entry of SAMPLERS) {
      const steps = defaultSteps(entry, schedule);
      const start = performance.now();
      const result = await entry.run(denoiser, schedule, {n}, {steps, rng: rngFromSeed(7)});
      const ms = performance.now() - start;
      runs.push({name: entry.name, label: entry.label, steps, nfe: result.nfe, ms, sw: distance(result.x)});
    }
    return {runs, reference};
  }, {modules, n: N});
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
  about: `one denoiser evaluation (eps) on ${N} points, in a blank page of the built site: the shipped network (weights file → Trainer.fromFile → denoiser("ema"), upload and readback included) per backend, and the exact "ring" mixture denoiser in JS; ${MIN_EVALS}–${MAX_EVALS} timed calls (~${EVAL_BUDGET_MS / 1000} s) over t ∈ {T−1 … 1} after a warm-up call per t; vs wasm = ms ÷ the trained network's ms on wasm; ε std = RMS of ε̂ (≈ 1 when sane)`,
  async run(context: BenchContext): Promise<Row[]> {
    const modules = await componentModules(context.site);
    const model = await fileAttachment(context.site, "data", "model.json");
    const rows: Row[] = [];
    let wasmMs = NaN;
    const row = (denoiser: string, backend: string, build: string, r: {ms: number[]; epsStd: number}): Row => {
      const s = summarise(r.ms);
      return {denoiser, backend, build, points: N, evals: r.ms.length, "median ms": round(s.median, 2), "p95 ms": round(s.p95, 2), "vs wasm": round(s.median / wasmMs, 2), "ε std": round(r.epsStd, 3)};
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
        await prepare(bench.page, {modules, model, which: "trained"});
        const r = await evalTimes(bench.page);
        if (backend === "wasm") wasmMs = summarise(r.ms).median;
        rows.push(row("trained (EMA)", backend, status.variant, r));
        if (backend === "wasm") {
          await prepare(bench.page, {modules, model, which: "exact"});
          rows.push(row("exact mixture", "JS", "", await evalTimes(bench.page)));
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
  about: `every sampler of the SAMPLERS table at its default step count clamped to T (sampling-plan's defaultSteps), ${N} points from seeded x_T ~ N(0, I), with the exact "ring" mixture denoiser (JS) and with the shipped network (EMA) on ${SAMPLER_BACKENDS.join(" and ")} (elsewhere ≈ NFE × the sampling section's ms per evaluation); wall ms of run(); ms/NFE = wall ÷ evaluations; vs exact = wall ÷ the exact denoiser's; SW = sliced Wasserstein (${YARDSTICK.projections} directions) of the samples to ${N} held-out data points, beside SW between two independent draws of the data (mean of ${YARDSTICK.pairs} pairs: what a perfect sampler scores, give or take ~2×)`,
  async run(context: BenchContext): Promise<Row[]> {
    const modules = await componentModules(context.site);
    const model = await fileAttachment(context.site, "data", "model.json");
    const rows: Row[] = [];
    const exactMs = new Map<string, number>();
    const add = (denoiser: string, {runs, reference}: {runs: SamplerRun[]; reference: number}) => {
      for (const r of runs) {
        if (denoiser === "exact mixture") exactMs.set(r.name, r.ms);
        rows.push({
          sampler: r.name, steps: r.steps, NFE: r.nfe, denoiser, "wall ms": Math.round(r.ms), "ms/NFE": round(r.ms / r.nfe, 2),
          "vs exact": round(r.ms / (exactMs.get(r.name) ?? NaN), 1), SW: round(r.sw, 4), "SW data↔data": round(reference, 4),
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
          add("exact mixture", await runSamplers(bench.page, modules));
        }
        await prepare(bench.page, {modules, model, which: "trained"});
        add(`trained (EMA), ${backend}`, await runSamplers(bench.page, modules));
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
