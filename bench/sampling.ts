// Sampling cost: what one denoiser evaluation on 2,000 points costs — the trained network (the
// shipped weights, EMA) on each backend, computed as it was trained (the reference, "before") and
// with e(t) folded into the biases (networkDenoiser, "after"), and the exact mixture denoiser in JS —
// with the kernels each evaluation launches; and the wall time of every sampler at its default step
// count, with the network stepped from JS (the old path) and run on the backend (runOnDevice of the
// sampler's program: the new path, with and without recording every state), with the kernels per
// sampler step on wasm and webgl, in a blank page of the built site. Old and new run in the same
// page, so their ratio is of one moment.
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
 * Stored on globalThis.benchDenoiser so the evaluations that follow reuse it (with the Trainer, whose
 * model and EMA weights the runs on the device read).
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
 * Page-side: DDIM with DEVICE_STEPS steps run on the backend from the EMA weights (runOnDevice of
 * its program: x_t kept on the backend, one readback): median wall ms per step over a few runs after a warm-up, and the kernels one step
 * launches (tf.profile of runs of 1 and 3 steps: the difference over 2).
 */
function deviceStepTimes(page: Page, modules: Modules): Promise<EvalTimes> {
  return page.evaluate(async ({modules, n, steps, budget}) => {
    const tf: typeof import("../components/vendor/tfjs.js") = await import(modules["vendor/tfjs"]);
    const {samplerByName}: typeof import("../components/samplers/index.js") = await import(modules["samplers/index"]);
    const {sampleEma}: typeof import("../components/model/device-sampler.js") = await import(modules["model/device-sampler"]);
    const {rngFromSeed}: typeof import("../components/math/random.js") = await import(modules["math/random"]);
    const {trainer, schedule} = (globalThis as PageGlobals).benchDenoiser!;
    const run = (k: number) => sampleEma(trainer!, samplerByName("ddim").program(schedule, {steps: k}), {n}, rngFromSeed(7));
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
    // tf.profile hands back one shared object whose kernel list each call replaces: count at once.
    const one = (await tf.profile(async () => { await run(1); })).kernels.length;
    const three = (await tf.profile(async () => { await run(3); })).kernels.length;
    return {ms, epsStd: Math.sqrt(sq), kernels: (three - one) / 2};
  }, {modules, n: N, steps: DEVICE_STEPS, budget: EVAL_BUDGET_MS});
}

/** Steps of the DDIM run timed on the device path (the figure: DDIM-50 on 2,000 points). */
const DEVICE_STEPS = 50;

interface SamplerRun {
  name: string;
  label: string;
  steps: number;
  nfe: number;
  /** Median wall ms of the timed runs. */
  ms: number;
  runs: number;
  /** Sliced Wasserstein distance from the samples to N held-out points of the data set. */
  sw: number;
}

/**
 * How a run is made: "js" = the sampler's step generator on the page's denoiser (for the network:
 * networkDenoiser, one upload, evaluation and readback per call, the update in JS — the path /sampling
 * took before); "device" = runOnDevice of the sampler's program beside the network, reading back only
 * the samples; "recorded" = the same reading back every state's x and x̂0 in chunks, as /sampling's
 * worker does for its animation.
 */
type Mode = "js" | "device" | "recorded";

/** A run's timing budget: at least 3 runs (1 when a run exceeds it), more while under it, at most 7. */
const RUN_BUDGET_MS = 1500;

/**
 * Page-side: every sampler of the SAMPLERS table at its default step count clamped to the schedule's T
 * (sampling-plan's defaultSteps), N points from seeded x_T ~ N(0, I), seeded noise; median wall time of
 * a few runs after a warm-up one (one run when a run is longer than the budget), and the distance of
 * its samples to held-out data by the time-to-quality yardstick (qualityYardstick), beside the
 * yardstick's reference (SW between independent draws of the data), for scale.
 */
function runSamplers(page: Page, modules: Modules, mode: Mode): Promise<{runs: SamplerRun[]; reference: number}> {
  return page.evaluate(async ({modules, n, mode, budget}) => {
    const {SAMPLERS}: typeof import("../components/samplers/index.js") = await import(modules["samplers/index"]);
    const {defaultSteps}: typeof import("../components/samplers/sampling-plan.js") = await import(modules["samplers/sampling-plan"]);
    const {sampleDataset}: typeof import("../components/math/datasets.js") = await import(modules["math/datasets"]);
    const {rngFromSeed}: typeof import("../components/math/random.js") = await import(modules["math/random"]);
    const {qualityYardstick}: typeof import("../components/math/metrics.js") = await import(modules["math/metrics"]);
    const {SHIPPED_MODEL}: typeof import("../components/model/shipped-model.js") = await import(modules["model/shipped-model"]);
    const {SharedTimeNetwork}: typeof import("../components/model/shared-time.js") = await import(modules["model/shared-time"]);
    const {runOnDevice}: typeof import("../components/model/device-sampler.js") = await import(modules["model/device-sampler"]);
    const tf: typeof import("../components/vendor/tfjs.js") = await import(modules["vendor/tfjs"]);
    const {denoiser, schedule, trainer} = (globalThis as PageGlobals).benchDenoiser!;
    const {reference, distance} = qualityYardstick((count, rng) => sampleDataset(SHIPPED_MODEL.dataset, count, rng), {n});
    const runs: SamplerRun[] = [];
    const weights = mode === "js" ? null : trainer!.ema.weights();
    const net = weights ? new SharedTimeNetwork(trainer!.model, weights) : null;
    try {
      for (const entry of SAMPLERS) {
        const steps = defaultSteps(entry, schedule);
        const once = async () => {
          const options = {steps, rng: rngFromSeed(7)};
          if (!net) return (await entry.run(denoiser, schedule, {n}, options)).x;
          let last: Float64Array | null = null;
          for await (const chunk of runOnDevice(net, schedule, entry.program(schedule, options), {n}, {rng: options.rng, record: mode === "recorded"})) last = chunk.at(-1)!.x;
          return last!;
        };
        const times: number[] = [];
        let x = await (async () => { const start = performance.now(); const x = await once(); times.push(performance.now() - start); return x; })();
        // The first run compiled shaders or warmed caches: time more unless one run already fills the budget.
        if (times[0] < budget) {
          times.length = 0;
          while (times.length < 3 || (times.reduce((a, b) => a + b, 0) < budget && times.length < 7)) {
            const start = performance.now();
            x = await once();
            times.push(performance.now() - start);
          }
        }
        times.sort((a, b) => a - b);
        runs.push({name: entry.name, label: entry.label, steps, nfe: entry.nfe(steps), ms: times[times.length >> 1], runs: times.length, sw: distance(x)});
      }
    } finally {
      net?.dispose();
      if (weights) tf.dispose(weights);
    }
    return {runs, reference};
  }, {modules, n: N, mode, budget: RUN_BUDGET_MS});
}

/** Steps of the runs whose kernels are counted (every sampler's program at this many steps; annealed Langevin's 10 levels divide it). */
const KERNEL_STEPS = 10;

/**
 * Page-side, on the active backend: kernels per sampler step (tf.profile of a KERNEL_STEPS-step run ÷
 * steps) for every sampler, run on the device without recording (runOnDevice of its program: the
 * network's kernels and the affine update's, per evaluation), and for the JS-stepped path (kernels of
 * one networkDenoiser evaluation × evaluations per step; the update itself runs in JS).
 */
function kernelsPerStep(page: Page, modules: Modules): Promise<Record<string, {device: number; js: number}>> {
  return page.evaluate(async ({modules, n, steps}) => {
    const tf: typeof import("../components/vendor/tfjs.js") = await import(modules["vendor/tfjs"]);
    const {SAMPLERS}: typeof import("../components/samplers/index.js") = await import(modules["samplers/index"]);
    const {rngFromSeed}: typeof import("../components/math/random.js") = await import(modules["math/random"]);
    const {SharedTimeNetwork}: typeof import("../components/model/shared-time.js") = await import(modules["model/shared-time"]);
    const {sampleOnDeviceProgram}: typeof import("../components/model/device-sampler.js") = await import(modules["model/device-sampler"]);
    const {denoiser, schedule, trainer} = (globalThis as PageGlobals).benchDenoiser!;
    const xt = new Float64Array(2 * n).fill(0.5);
    await denoiser.eps(xt, 50.5);
    const perEval = (await tf.profile(async () => { await denoiser.eps(xt, 50.5); })).kernels.length;
    const weights = trainer!.ema.weights();
    const net = new SharedTimeNetwork(trainer!.model, weights);
    const out: Record<string, {device: number; js: number}> = {};
    try {
      for (const entry of SAMPLERS) {
        const options = {steps, rng: rngFromSeed(3)};
        const program = entry.program(schedule, options);
        await sampleOnDeviceProgram(net, schedule, program, {n}, rngFromSeed(3));
        const profile = await tf.profile(async () => { await sampleOnDeviceProgram(net, schedule, program, {n}, rngFromSeed(3)); });
        out[entry.name] = {device: profile.kernels.length / steps, js: (perEval * entry.nfe(steps)) / steps};
      }
    } finally {
      net.dispose();
      tf.dispose(weights);
    }
    return out;
  }, {modules, n: N, steps: KERNEL_STEPS});
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
  about: `one denoiser evaluation (eps) on ${N} points, in a blank page of the built site, per backend: the shipped network (weights file → Trainer.fromFile, EMA weights, upload and readback included) as it was trained (referenceDenoiser: e(t) tiled to every point, one op per layer; "before") and as samplers get it (networkDenoiser: e(t) folded into the biases, fused matmul+bias+ReLU; "after"), ${MIN_EVALS}–${MAX_EVALS} timed calls (~${EVAL_BUDGET_MS / 1000} s) over t ∈ {T−1 … 1} after a warm-up call per t; "per DDIM step on device" = DDIM-${DEVICE_STEPS} from the EMA weights by runOnDevice (x_t kept on the backend, one readback) ÷ ${DEVICE_STEPS}; the exact "ring" mixture denoiser in JS for scale; vs before = ms ÷ the network as trained on the same backend; kernels = kernels one evaluation (or one device step) launches, by tf.profile — the figure that predicts speed on a real GPU, where each costs a dispatch; ε std = RMS of ε̂ (≈ 1 when sane; for the device row, RMS of the samples)`,
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

/** Backends whose kernels per sampling step the samplers section counts (timings: wasm only, see SAMPLER_BACKENDS). */
const KERNEL_BACKENDS = ["wasm", "webgl"];

export const samplers: Section = {
  name: "samplers",
  about: `every sampler of the SAMPLERS table at its default step count clamped to T (sampling-plan's defaultSteps), ${N} points from seeded x_T ~ N(0, I), seeded noise, all in one page on ${SAMPLER_BACKENDS.join(" and ")}: the exact "ring" mixture denoiser (JS), and the shipped network (EMA) four ways — as trained, JS-stepped (referenceDenoiser: e(t) tiled to every point, the path before issue 11's work; "vs as trained" divides by its wall time), "JS-stepped" (old: the sampler's step generator on networkDenoiser, one upload/evaluation/readback per call, the update in JS), "device" (new: runOnDevice of the sampler's program, x_t and the register kept as tensors, only the samples read back) and "device, recorded" (new, as /sampling's worker runs it: every state's x and x̂0 read back in chunks of 25); wall ms = median of 3–7 runs after a warm-up run (1 run when a run exceeds ${RUN_BUDGET_MS} ms); ms/NFE = wall ÷ evaluations; vs JS-stepped = wall ÷ the JS-stepped network run's, same page and moment; kernels/step = kernels one sampler step launches by tf.profile (device: a ${KERNEL_STEPS}-step run ÷ ${KERNEL_STEPS}; JS-stepped: one evaluation's kernels × evaluations per step) on ${KERNEL_BACKENDS.join(" and ")} (webgl here is SwiftShader; the count, not its time, predicts a real GPU); SW = sliced Wasserstein (${YARDSTICK.projections} directions) of the samples to ${N} held-out data points, beside SW between two independent draws of the data (mean of ${YARDSTICK.pairs} pairs: what a perfect sampler scores, give or take ~2×)`,
  async run(context: BenchContext): Promise<Row[]> {
    const modules = await componentModules(context.site);
    const model = await fileAttachment(context.site, "data", "model.json");
    const rows: Row[] = [];
    const kernels = new Map<string, Record<string, {device: number; js: number}>>();
    for (const backend of KERNEL_BACKENDS) {
      const bench = await blankPage(context);
      try {
        const status = await useBackend(bench.page, modules, backend);
        if (!status.ok) continue;
        await prepare(bench.page, {modules, model, which: "trained"});
        kernels.set(backend, await kernelsPerStep(bench.page, modules));
        await disposeDenoiser(bench.page);
      } finally {
        await bench.close();
      }
    }
    const jsMs = new Map<string, number>(), beforeMs = new Map<string, number>();
    const add = (denoiser: string, mode: Mode | "exact" | "before", {runs, reference}: {runs: SamplerRun[]; reference: number}) => {
      for (const r of runs) {
        if (mode === "js") jsMs.set(r.name, r.ms);
        if (mode === "before") beforeMs.set(r.name, r.ms);
        const k = (backend: string) => {
          const counts = kernels.get(backend)?.[r.name];
          return mode === "exact" || mode === "before" || !counts ? "" : round(mode === "js" ? counts.js : counts.device, 1);
        };
        rows.push({
          sampler: r.name, steps: r.steps, NFE: r.nfe, denoiser, "wall ms": Math.round(r.ms), runs: r.runs, "ms/NFE": round(r.ms / r.nfe, 2),
          "vs as trained": mode === "exact" ? "" : round(r.ms / (beforeMs.get(r.name) ?? NaN), 2),
          "vs JS-stepped": mode === "exact" || mode === "before" ? "" : round(r.ms / (jsMs.get(r.name) ?? NaN), 2),
          ...Object.fromEntries(KERNEL_BACKENDS.map((b) => [`kernels/step ${b}`, k(b)])),
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
          add(LABELS.exact, "exact", await runSamplers(bench.page, modules, "js"));
        }
        await prepare(bench.page, {modules, model, which: "reference"});
        add(`${LABELS.reference}, JS-stepped, ${backend}`, "before", await runSamplers(bench.page, modules, "js"));
        await prepare(bench.page, {modules, model, which: "trained"});
        add(`network, JS-stepped (old), ${backend}`, "js", await runSamplers(bench.page, modules, "js"));
        add(`network on device (new), ${backend}`, "device", await runSamplers(bench.page, modules, "device"));
        add(`network on device, recorded (new, as /sampling), ${backend}`, "recorded", await runSamplers(bench.page, modules, "recorded"));
        await disposeDenoiser(bench.page);
        const problems = bench.problems();
        if (problems.length) throw new Error(`${backend} page had problems:\n  ${problems.join("\n  ")}`);
      } finally {
        await bench.close();
      }
    }
    // One table sorted by sampler, so each sampler's runs sit together.
    const order = rows.map((r) => r.sampler);
    return rows.sort((a, b) => order.indexOf(a.sampler) - order.indexOf(b.sampler));
  },
};
