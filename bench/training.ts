// Training speed: the site's Trainer with DEFAULT_CONFIG driven in a blank page of the
// built site on each backend tfjs can use headless — steps/s at three batch sizes, and the model's
// matmul FLOP/s as a fraction of what one large matmul reaches on the same backend in the same run;
// on wasm and cpu also where a step's time goes (tf.profile: kernels, matmuls, the time between them),
// the explanation of the training-throughput floor.
import type {Page} from "playwright-core";
import {visit} from "../test/browser/harness.js";
import {BACKENDS, blankPage, componentModules, notMeasured, useBackend, type Modules} from "./page.js";
import type {BenchContext, Row, Section} from "./section.js";
import {countAbove, round, summarise} from "./stats.js";
import {recordFrames, VSYNC, type Frames} from "./frames.js";
import {YARDSTICK} from "../components/math/metrics.js";
import {SCORE_DRAWS} from "../components/math/quality-score.js";

const BATCHES = [256, 1024, 4096];
/** Measured steps per batch size: a fixed count (fewer only if a backend would take over STEP_BUDGET_MS). */
const STEPS: Record<number, number> = {256: 60, 1024: 24, 4096: 8};
/** Most measured time per (backend, batch); a slower backend runs fewer steps, at least MIN_STEPS. */
const STEP_BUDGET_MS = 8_000;
const MIN_STEPS = 3;
/** A backend whose warm-up steps take longer than this each is reported too slow at that batch. */
const TOO_SLOW_MS = 8_000;
/** Square matmul size for the backend's reference FLOP/s. */
const MATMUL_N = 1024;
/**
 * Where a step's time goes: PROFILE_REPEATS chunks of PROFILE_CHUNK steps under tf.profile (fewer steps
 * if the backend would take over a third of STEP_BUDGET_MS), median per step, on the backends whose
 * kernel times tf.profile reports (WebGL's kernel timer is not available on SwiftShader).
 */
const PROFILE_REPEATS = 3;
const PROFILE_CHUNK = 6;
const PROFILED_BACKENDS = ["wasm", "cpu"];

interface SpeedResult {
  batch: number;
  steps: number;
  /** Steps per runChunk call (the worker's rule: ~50 ms of work per chunk). */
  chunk: number;
  ms: number;
  /** Matmul FLOPs of one training step (see FLOP_FORMULA). */
  flopsPerStep: number;
  /** Kernels one training step launches (tf.profile: chunks of 3 and 1 steps, difference over 2). */
  kernelsPerStep: number;
  /** Kernels a chunk launches besides its steps (the snapshot's readback). */
  kernelsPerChunk: number;
  /** Set when a warm-up step took over TOO_SLOW_MS. */
  skipped?: string;
  /** Per step under tf.profile (PROFILED_BACKENDS only): wall ms, Σ kernel ms, matmul kernels' ms and count, the four costliest kernel names. */
  profile?: {wallMs: number; kernelMs: number; matmulMs: number; matmulKernels: number; top: string};
}

export const FLOP_FORMULA = "FLOPs/step = 2B·Σ in·out (forward) + 2B·Σ in·out (∂W) + 2B·(Σ in·out − in₀·out₀) (∂input; none for layer 0) = 6B·Σ in·out − 2B·in₀·out₀ over the trained dense layers; the fixed Fourier-feature projection (2B·d·F), bias, activation, loss and Adam (O(params)) not counted";

/**
 * In the page, on the active backend: `Trainer` from DEFAULT_CONFIG at `batch` on the shipped
 * model's data set; two warm-up chunks (1 step, which compiles kernels or shaders, then 2, which
 * estimate the step time), then `steps` steps in chunks sized like the worker's (~50 ms each, one
 * readback per chunk), timed from the first chunk's start to the last one's resolution.
 */
function trainSpeed(page: Page, modules: Modules, batch: number, steps: number, profiled: boolean): Promise<SpeedResult> {
  return page.evaluate(async ({modules, batch, steps, budget, minSteps, tooSlow, profiled, repeats, profileChunk}) => {
    const tf: typeof import("../components/vendor/tfjs.js") = await import(modules["vendor/tfjs"]);
    const {Trainer}: typeof import("../components/model/trainer.js") = await import(modules["model/trainer"]);
    const {DEFAULT_SCHEDULE}: typeof import("../components/model/defaults.js") = await import(modules["model/defaults"]);
    const {makeSchedule}: typeof import("../components/math/schedules.js") = await import(modules["math/schedules"]);
    const {sampleDataset}: typeof import("../components/math/datasets.js") = await import(modules["math/datasets"]);
    const {rngFromSeed}: typeof import("../components/math/random.js") = await import(modules["math/random"]);
    const {SHIPPED_MODEL}: typeof import("../components/model/shipped-model.js") = await import(modules["model/shipped-model"]);
    const data = sampleDataset(SHIPPED_MODEL.dataset, SHIPPED_MODEL.n, rngFromSeed(SHIPPED_MODEL.dataSeed));
    const trainer = new Trainer({data, schedule: makeSchedule(DEFAULT_SCHEDULE.name, DEFAULT_SCHEDULE.T), config: {batchSize: batch}, seed: SHIPPED_MODEL.seed});
    try {
      const kernels = trainer.model.specs.filter((s) => s.shape.length === 2).map((s) => s.shape[0] * s.shape[1]);
      const sum = kernels.reduce((a, b) => a + b, 0);
      const flopsPerStep = 6 * batch * sum - 2 * batch * kernels[0];
      await trainer.runChunk(1);
      const warm = await trainer.runChunk(2);
      const perStep = warm.ms / 2;
      if (perStep > tooSlow) return {batch, steps: 0, chunk: 0, ms: 0, flopsPerStep, kernelsPerStep: NaN, kernelsPerChunk: NaN, skipped: `too slow: ${(perStep / 1000).toFixed(1)} s per step in warm-up`};
      const one = (await tf.profile(async () => { await trainer.runChunk(1); })).kernels.length;
      const three = (await tf.profile(async () => { await trainer.runChunk(3); })).kernels.length;
      const kernelsPerStep = (three - one) / 2, kernelsPerChunk = one - kernelsPerStep;
      const n = perStep * steps > budget ? Math.max(minSteps, Math.floor(budget / perStep)) : steps;
      const chunk = Math.max(1, Math.min(256, Math.round(50 / Math.max(perStep, 0.05))));
      const start = performance.now();
      let done = 0;
      while (done < n) {
        const r = await trainer.runChunk(Math.min(chunk, n - done));
        if (r.diverged) throw new Error(`training diverged at batch ${batch}: ${r.diverged}`);
        done += r.steps;
      }
      const ms = performance.now() - start;
      if (!profiled) return {batch, steps: n, chunk, ms, flopsPerStep, kernelsPerStep, kernelsPerChunk};
      // tf.profile's kernelTimeMs is wall time around each kernel on these synchronous backends; an op
      // with a custom gradient is profiled as "<op>__op" around the kernels it runs, which are
      // profiled too, so those wrappers are counted in neither the kernels nor their time.
      type Kernel = {name: string; kernelTimeMs: number | {error: string}};
      const time = (k: Kernel) => (typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : NaN);
      const isMatmul = (k: Kernel) => /matmul/i.test(k.name);
      const per = Math.max(1, Math.min(profileChunk, Math.floor(budget / 3 / repeats / perStep)));
      const runs: {wall: number; kernelMs: number; matmulMs: number; matmulKernels: number}[] = [];
      const byName = new Map<string, number>();
      for (let r = 0; r < repeats; ++r) {
        const t0 = performance.now();
        const info = await tf.profile(async () => { await trainer.runChunk(per); });
        const wall = performance.now() - t0;
        const ks = (info.kernels as unknown as Kernel[]).filter((k) => !k.name.endsWith("__op"));
        for (const k of ks) byName.set(k.name, (byName.get(k.name) ?? 0) + time(k) / (per * repeats));
        runs.push({
          wall: wall / per, kernelMs: ks.reduce((a, k) => a + time(k), 0) / per,
          matmulMs: ks.filter(isMatmul).reduce((a, k) => a + time(k), 0) / per, matmulKernels: ks.filter(isMatmul).length / per,
        });
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
      const top = [...byName].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([name, t]) => `${name} ${t.toFixed(2)}`).join(", ");
      const profile = {
        wallMs: median(runs.map((r) => r.wall)), kernelMs: median(runs.map((r) => r.kernelMs)),
        matmulMs: median(runs.map((r) => r.matmulMs)), matmulKernels: median(runs.map((r) => r.matmulKernels)), top,
      };
      return {batch, steps: n, chunk, ms, flopsPerStep, kernelsPerStep, kernelsPerChunk, profile};
    } finally {
      trainer.dispose();
    }
  }, {modules, batch, steps, budget: STEP_BUDGET_MS, minSteps: MIN_STEPS, tooSlow: TOO_SLOW_MS, profiled, repeats: PROFILE_REPEATS, profileChunk: PROFILE_CHUNK});
}

/**
 * In the page: the median time of an N×N by N×N matmul on the active backend, including the
 * `await data()` that waits for it (2N³ FLOPs each; one untimed warm-up, then repeats for ~1.5 s,
 * at least 2 and at most 10).
 */
function matmulMs(page: Page, modules: Modules, n: number): Promise<number> {
  return page.evaluate(async ({modules, n}) => {
    const tf: typeof import("../components/vendor/tfjs.js") = await import(modules["vendor/tfjs"]);
    const fill = (seed: number) => Float32Array.from({length: n * n}, (_, i) => Math.sin(seed + i * 12.9898) * 0.5);
    const a = tf.tensor2d(fill(1), [n, n]), b = tf.tensor2d(fill(2), [n, n]);
    const once = async () => {
      const start = performance.now();
      const c = tf.matMul(a, b);
      await c.data();
      c.dispose();
      return performance.now() - start;
    };
    try {
      await once();
      const times: number[] = [];
      let total = 0;
      while (times.length < 2 || (total < 1500 && times.length < 10)) total += times[times.push(await once()) - 1];
      times.sort((x, y) => x - y);
      const h = times.length >> 1;
      return times.length % 2 ? times[h] : (times[h - 1] + times[h]) / 2;
    } finally {
      a.dispose();
      b.dispose();
    }
  }, {modules, n});
}

export const training: Section = {
  name: "training",
  about: `Trainer(DEFAULT_CONFIG) on the shipped model's "ring" data, in a blank page of the built site, per backend and batch: ${Object.values(STEPS).join("/")} steps after 3 warm-up steps (fewer if over ${STEP_BUDGET_MS / 1000} s), chunks sized like the worker's (~50 ms, one readback each); vs wasm = steps/s ÷ wasm's at that batch; model GFLOP/s from ${FLOP_FORMULA}; "of matmul" = that ÷ the GFLOP/s of one ${MATMUL_N}×${MATMUL_N}·${MATMUL_N}×${MATMUL_N} matmul (2N³ FLOPs, timed with await data()) on the same backend; kernels/step = kernels one step launches (tf.profile), kernels/chunk = those a chunk adds once (its readback). Where a step's time goes, on ${PROFILED_BACKENDS.join(" and ")} (WebGL's kernel timer is unavailable on SwiftShader; its kernel count above is the figure that predicts a real GPU): ${PROFILE_REPEATS} chunks of up to ${PROFILE_CHUNK} steps under tf.profile, median per step — profiled ms/step (it includes tf.profile's own bookkeeping, a record and two promises per kernel: compare with the unprofiled ms/step of the same page), kernel ms = Σ kernelTimeMs, matmul = MatMul/_FusedMatMul/BatchMatMul kernels (share of the unprofiled step), outside kernels = profiled wall − kernel ms (JS between kernels and the profiler's own work), µs/other kernel = (kernel ms − matmul ms) ÷ the non-matmul kernels, top = the four kernel names with most ms per step`,
  async run(context: BenchContext): Promise<Row[]> {
    const modules = await componentModules(context.site);
    const rows: Row[] = [];
    const wasmRate = new Map<number, number>();
    for (const backend of BACKENDS) {
      const skip = notMeasured(context, backend);
      if (skip) {
        rows.push({backend, note: skip});
        continue;
      }
      const bench = await blankPage(context);
      try {
        const status = await useBackend(bench.page, modules, backend);
        if (!status.ok) {
          rows.push({backend, note: `unavailable: ${status.reason}`});
          continue;
        }
        const matmulGflops = (2 * MATMUL_N ** 3) / (await matmulMs(bench.page, modules, MATMUL_N)) / 1e6;
        for (const batch of BATCHES) {
          const r = await trainSpeed(bench.page, modules, batch, STEPS[batch], PROFILED_BACKENDS.includes(backend));
          if (r.skipped) {
            rows.push({backend, build: status.variant, batch, note: r.skipped});
            continue;
          }
          const rate = (1000 * r.steps) / r.ms;
          if (backend === "wasm") wasmRate.set(batch, rate);
          const modelGflops = (r.flopsPerStep * rate) / 1e9;
          rows.push({
            backend, build: status.variant, batch, steps: r.steps, chunk: r.chunk,
            "steps/s": round(rate, 2), "ms/step": round(r.ms / r.steps),
            "vs wasm": wasmRate.has(batch) ? round(rate / wasmRate.get(batch)!, 2) : NaN,
            "MFLOP/step": round(r.flopsPerStep / 1e6), "model GFLOP/s": round(modelGflops, 2),
            "matmul GFLOP/s": round(matmulGflops, 2), "of matmul": round(modelGflops / matmulGflops, 3),
            "kernels/step": r.kernelsPerStep, "kernels/chunk": r.kernelsPerChunk,
            ...profileColumns(r),
            note: r.steps < STEPS[batch] ? `${r.steps} of ${STEPS[batch]} steps (time budget)` : "",
          });
        }
        const problems = bench.problems();
        if (problems.length) throw new Error(`${backend} page had problems:\n  ${problems.join("\n  ")}`);
      } finally {
        await bench.close();
      }
    }
    return rows;
  },
};

/**
 * The profile's columns: the step's wall time under tf.profile, Σ kernel ms, the matmuls' ms and
 * share of the unprofiled step, the wall time no kernel accounts for (JS between kernels, and the
 * profiler's own work), µs per non-matmul kernel, and the costliest kernels ("–" where not profiled).
 */
function profileColumns(r: SpeedResult): Row {
  const p = r.profile, msPerStep = r.ms / r.steps;
  if (!p) return {"profiled ms/step": "–", "kernel ms": "–", "matmul ms": "–", "matmul share": "–", "outside kernels ms": "–", "µs/other kernel": "–", "top kernels (ms/step)": "–"};
  return {
    "profiled ms/step": round(p.wallMs, 2), "kernel ms": round(p.kernelMs, 2), "matmul ms": round(p.matmulMs, 2),
    "matmul share": round(p.matmulMs / msPerStep, 2), "outside kernels ms": round(p.wallMs - p.kernelMs, 2),
    "µs/other kernel": round((1000 * (p.kernelMs - p.matmulMs)) / Math.max(r.kernelsPerStep - p.matmulKernels, 1), 1),
    "top kernels (ms/step)": p.top,
  };
}

/** Training steps of the seeded run; tensors and heap are compared before and after them. */
const RUN_STEPS = 2000;
/** Steps between quality checks, and per runChunk call (CHECK_EVERY is a multiple of it). */
const CHECK_EVERY = 50;
const RUN_CHUNK = 10;
/**
 * DDPM (ancestral) steps for the checks, the sampler and step count scripts/ttq.ts checks with, so
 * the two measure the same thing. (A deterministic sampler is no cheaper per step and, with a
 * mediocre ε-prediction network, was seen to sit far from the data where DDPM did not.)
 */
const CHECK_STEPS = 50;
/** Stop the run after this much training time, so a loaded machine cannot stall the bench. */
const RUN_CAP_MS = 150_000;

interface RunResult {
  steps: number;
  trainMs: number;
  checkMs: number;
  checks: number;
  reference: number;
  threshold: number;
  /** Step and training time at which quality was first reached (null: not within the run). */
  reachedStep: number | null;
  reachedMs: number | null;
  reachedSw: number | null;
  finalSw: number;
  /** tf.memory() before the Trainer existed, after it was built, after the run, after dispose(). */
  tensors: {empty: number; built: number; trained: number; disposed: number};
  bytes: {built: number; trained: number};
  /** JS heap in use after a forced GC (CDP), bytes: after building, half-way and after the run. */
  heap: {built: number; half: number; trained: number};
  diverged: string | null;
}

/**
 * In the page, on wasm: the shipped model's recipe (DEFAULT_CONFIG, DEFAULT_SCHEDULE, "ring" data of
 * SHIPPED_MODEL.n points from its data seed, its weight seed) trained for RUN_STEPS steps in chunks of
 * RUN_CHUNK. Every CHECK_EVERY steps until quality is reached: SCORE_DRAWS × YARDSTICK.n DDPM
 * samples from the EMA weights (fixed seed) scored by the time-to-quality yardstick (math/quality-score.ts qualityScore);
 * the check is timed apart from training. `heap()` is a Node function exposed to the page that
 * forces a GC and reads the heap over CDP.
 */
function seededRun(page: Page, modules: Modules): Promise<RunResult> {
  return page.evaluate(async ({modules, steps, every, chunk, n, draws, checkSteps, cap}) => {
    const tf: typeof import("../components/vendor/tfjs.js") = await import(modules["vendor/tfjs"]);
    const {Trainer}: typeof import("../components/model/trainer.js") = await import(modules["model/trainer"]);
    const {DEFAULT_SCHEDULE}: typeof import("../components/model/defaults.js") = await import(modules["model/defaults"]);
    const {makeSchedule}: typeof import("../components/math/schedules.js") = await import(modules["math/schedules"]);
    const {sampleDataset}: typeof import("../components/math/datasets.js") = await import(modules["math/datasets"]);
    const {rngFromSeed}: typeof import("../components/math/random.js") = await import(modules["math/random"]);
    const {qualityYardstick}: typeof import("../components/math/metrics.js") = await import(modules["math/metrics"]);
    const {samplerByName}: typeof import("../components/samplers/index.js") = await import(modules["samplers/index"]);
    const {sampleEma}: typeof import("../components/model/device-sampler.js") = await import(modules["model/device-sampler"]);
    const {SHIPPED_MODEL}: typeof import("../components/model/shipped-model.js") = await import(modules["model/shipped-model"]);
    const heap = (globalThis as unknown as {benchHeap(): Promise<number>}).benchHeap;
    const {reference, threshold, distance} = qualityYardstick((count, rng) => sampleDataset(SHIPPED_MODEL.dataset, count, rng), {n});
    // qualityScore (math/quality-score.ts), written out: the built site holds only modules its pages import.
    const score = (x: Float64Array) => {
      let sum = 0;
      for (let k = 0; k < draws; ++k) sum += distance(x.subarray(2 * k * n, 2 * (k + 1) * n));
      return sum / draws;
    };
    const schedule = makeSchedule(DEFAULT_SCHEDULE.name, DEFAULT_SCHEDULE.T);
    const program = samplerByName("ddpm").program(schedule, {steps: checkSteps});
    const quality = async (trainer: InstanceType<typeof Trainer>) =>
      score((await sampleEma(trainer, program, {n: n * draws}, rngFromSeed(2024))).x);

    const empty = tf.memory().numTensors;
    const data = sampleDataset(SHIPPED_MODEL.dataset, SHIPPED_MODEL.n, rngFromSeed(SHIPPED_MODEL.dataSeed));
    const trainer = new Trainer({data, schedule, seed: SHIPPED_MODEL.seed});
    const built = tf.memory(), heapBuilt = await heap();
    let trainMs = 0, checkMs = 0, checks = 0, diverged: string | null = null;
    let reachedStep: number | null = null, reachedMs: number | null = null, reachedSw: number | null = null;
    // Half-way, so that growth from first-use allocations (kernels, JIT) can be told from steady growth.
    let heapHalf = NaN;
    while (trainer.stepCount < steps && trainMs < cap) {
      const start = performance.now();
      const r = await trainer.runChunk(Math.min(chunk, steps - trainer.stepCount));
      trainMs += performance.now() - start;
      if (r.diverged) { diverged = r.diverged; break; }
      if (r.step === steps / 2) heapHalf = await heap();
      if (reachedStep === null && r.step % every === 0) {
        const t0 = performance.now();
        const s = await quality(trainer);
        checkMs += performance.now() - t0;
        ++checks;
        if (s <= threshold) { reachedStep = r.step; reachedMs = trainMs; reachedSw = s; }
      }
    }
    const trained = tf.memory(), heapTrained = await heap();
    const finalSw = await quality(trainer);
    const stepCount = trainer.stepCount;
    trainer.dispose();
    return {
      steps: stepCount, trainMs, checkMs, checks, reference, threshold, reachedStep, reachedMs, reachedSw, finalSw,
      tensors: {empty, built: built.numTensors, trained: trained.numTensors, disposed: tf.memory().numTensors},
      bytes: {built: built.numBytes, trained: trained.numBytes},
      heap: {built: heapBuilt, half: heapHalf, trained: heapTrained},
      diverged,
    };
  }, {modules, steps: RUN_STEPS, every: CHECK_EVERY, chunk: RUN_CHUNK, n: YARDSTICK.n, draws: SCORE_DRAWS, checkSteps: CHECK_STEPS, cap: RUN_CAP_MS});
}

const MB = 2 ** 20;

export const trainingRun: Section = {
  name: "training-run",
  about: `one seeded wasm run of the shipped model's recipe (DEFAULT_CONFIG, "ring", in a blank page, ${RUN_CHUNK}-step chunks) for ${RUN_STEPS} steps (capped at ${RUN_CAP_MS / 1000} s of training): time to quality = training time (checks excluded) until SW(${YARDSTICK.n} DDPM-${CHECK_STEPS} samples of the EMA weights, ${YARDSTICK.n} held-out points), mean of ${SCORE_DRAWS} draws, ≤ ${YARDSTICK.factor} × SW(two independent draws, mean of ${YARDSTICK.pairs} pairs), checked every ${CHECK_EVERY} steps; tf.memory().numTensors and the GC'd JS heap (CDP) after building, half-way and after the run (tensors must not change)`,
  async run(context: BenchContext): Promise<Row[]> {
    const modules = await componentModules(context.site);
    const bench = await blankPage(context);
    try {
      const status = await useBackend(bench.page, modules, "wasm");
      if (!status.ok) return [{backend: "wasm", note: `unavailable: ${status.reason}`}];
      const cdp = await bench.page.context().newCDPSession(bench.page);
      await bench.page.exposeFunction("benchHeap", async () => {
        await cdp.send("HeapProfiler.collectGarbage");
        return (await cdp.send("Runtime.getHeapUsage")).usedSize;
      });
      const r = await seededRun(bench.page, modules);
      const problems = bench.problems();
      if (problems.length) throw new Error(`the wasm page had problems:\n  ${problems.join("\n  ")}`);
      if (r.diverged) throw new Error(`the seeded run diverged: ${r.diverged}`);
      const leak = r.tensors.trained - r.tensors.built, left = r.tensors.disposed - r.tensors.empty;
      const flags = [
        ...(leak ? [`LEAK: numTensors ${r.tensors.built} → ${r.tensors.trained} over ${r.steps} steps`] : []),
        ...(left ? [`LEAK: ${left} tensors left after dispose()`] : []),
        ...(r.steps < RUN_STEPS ? [`stopped at step ${r.steps} of ${RUN_STEPS} (training-time cap)`] : []),
      ];
      for (const flag of flags.filter((f) => f.startsWith("LEAK"))) console.error(`\n!!! training-run: ${flag}\n`);
      const rate = (1000 * r.steps) / r.trainMs;
      return [{
        backend: `wasm (${status.variant})`, steps: r.steps, "steps/s": round(rate, 1),
        "quality at step": r.reachedStep ?? `not by ${r.steps}`,
        "to quality s": r.reachedMs === null ? NaN : round(r.reachedMs / 1000),
        "checks": r.checks, "checks s": round(r.checkMs / 1000),
        "SW ref": round(r.reference, 4), "SW threshold": round(r.threshold, 4),
        "SW at quality": r.reachedSw === null ? NaN : round(r.reachedSw, 4), "SW final": round(r.finalSw, 4),
        "tensors built": r.tensors.built, "tensors after": r.tensors.trained,
        "tf MB built": round(r.bytes.built / MB, 2), "tf MB after": round(r.bytes.trained / MB, 2),
        "heap MB built": round(r.heap.built / MB, 2), [`heap MB at ${RUN_STEPS / 2}`]: round(r.heap.half / MB, 2), "heap MB after": round(r.heap.trained / MB, 2),
        note: flags.join("; ") || "numTensors flat",
      }];
    } finally {
      await bench.close();
    }
  },
};

/** Frames recorded on /training: idle before Train, then while the worker trains. */
const IDLE_MS = 2000;
const TRAIN_WARMUP_MS = 1000;
const TRAIN_MS = 5000;

function frameRow(phase: string, frames: Frames, status: string): Row {
  const f = summarise(frames.intervals);
  return {
    page: "/training?backend=wasm", phase, frames: frames.intervals.length,
    "median ms": round(f.median), "p95 ms": round(f.p95), "max ms": round(f.max),
    ">16.7 ms": countAbove(frames.vsync, 1.5 * VSYNC), ">33 ms": countAbove(frames.vsync, 2.5 * VSYNC),
    status,
  };
}

const statusLine = (page: Page) => page.$eval(".status", (e) => e.textContent ?? "");
const stepOf = (status: string) => Number(/step ([\d,]+)/.exec(status)?.[1].replace(/,/g, "") ?? NaN);

async function waitForStatus(page: Page, test: (s: string) => boolean, what: string, timeout = 60_000): Promise<string> {
  const start = Date.now();
  for (;;) {
    const s = await statusLine(page).catch(() => "");
    if (test(s)) return s;
    if (Date.now() - start > timeout) throw new Error(`/training: ${what} within ${timeout / 1000} s; status "${s}"`);
    await page.waitForTimeout(100);
  }
}

export const trainingPage: Section = {
  name: "training-page",
  about: `/training?backend=wasm as a reader uses it: rAF intervals for ${IDLE_MS / 1000} s before Train, then for ${TRAIN_MS / 1000} s while its worker trains (after ${TRAIN_WARMUP_MS / 1000} s); >16.7/>33 ms = frames that missed 1/2+ vsyncs (counted on rAF timestamps); status = the page's status line at the end`,
  async run({browser, origin}: BenchContext): Promise<Row[]> {
    const v = await visit(browser, origin, "/training?backend=wasm");
    try {
      await v.page.evaluate("globalThis.__name = (f) => f");
      const ready = await waitForStatus(v.page, (s) => /backend wasm|on wasm/.test(s), "no status line naming the wasm backend");
      const opened = await v.problems();
      if (opened.length) throw new Error(`/training opened with problems:\n  ${opened.join("\n  ")}`);
      const idle = await recordFrames(v.page, IDLE_MS);
      const rows = [frameRow("idle", idle, ready)];
      const before = stepOf(ready);
      await v.page.getByRole("button", {name: "Train", exact: true}).click();
      await waitForStatus(v.page, (s) => stepOf(s) > (Number.isFinite(before) ? before : 0) && s.includes("steps/s"), "training did not start");
      await v.page.waitForTimeout(TRAIN_WARMUP_MS);
      const busy = await recordFrames(v.page, TRAIN_MS);
      rows.push(frameRow("training", busy, await statusLine(v.page)));
      await v.page.getByRole("button", {name: "Pause", exact: true}).click();
      await waitForStatus(v.page, (s) => s.includes("paused"), "Pause did not stop training");
      const problems = await v.problems();
      if (problems.length) throw new Error(`/training had problems while training:\n  ${problems.join("\n  ")}`);
      return rows;
    } finally {
      await v.close();
    }
  },
};
