// Where a training step's time goes: the explanation of the training-throughput floor (issue 11,
// target 2). For one step of Trainer(DEFAULT_CONFIG) on wasm and cpu, tf.profile's per-kernel times
// (wall time around each kernel on these synchronous backends), summed by kind: the dense layers'
// matmuls against everything else, and the step's wall time that no kernel accounts for (JS between
// kernels: batch assembly, dispatch, tensor bookkeeping). WebGL's kernel timer is not available on
// SwiftShader, so it is left out; its kernel count is in the training section.
import type {Page} from "playwright-core";
import {blankPage, componentModules, useBackend, type Modules} from "./page.js";
import type {BenchContext, Row, Section} from "./section.js";
import {round} from "./stats.js";

const BATCHES = [256, 4096];
const BACKENDS = ["wasm", "cpu"];
/** Profiled chunks per configuration (the median per-step figures are reported), of CHUNK steps each (one readback). */
const REPEATS = 5;
const CHUNK = 6;

interface StepProfile {
  wallMs: number;
  kernels: number;
  kernelMs: number;
  matmulMs: number;
  matmulKernels: number;
  top: string;
}

/**
 * In the page, on the active backend: per-step figures from profiled chunks of `chunk` steps (their
 * one readback included, spread over the steps), median of `repeats`.
 */
function profileStep(page: Page, modules: Modules, batch: number, repeats: number): Promise<StepProfile> {
  return page.evaluate(async ({modules, batch, repeats, chunk}) => {
    const tf: typeof import("../components/vendor/tfjs.js") = await import(modules["vendor/tfjs"]);
    const {Trainer}: typeof import("../components/model/trainer.js") = await import(modules["model/trainer"]);
    const {DEFAULT_SCHEDULE}: typeof import("../components/model/defaults.js") = await import(modules["model/defaults"]);
    const {makeSchedule}: typeof import("../components/math/schedules.js") = await import(modules["math/schedules"]);
    const {sampleDataset}: typeof import("../components/math/datasets.js") = await import(modules["math/datasets"]);
    const {rngFromSeed}: typeof import("../components/math/random.js") = await import(modules["math/random"]);
    const {SHIPPED_MODEL}: typeof import("../components/model/shipped-model.js") = await import(modules["model/shipped-model"]);
    const data = sampleDataset(SHIPPED_MODEL.dataset, SHIPPED_MODEL.n, rngFromSeed(SHIPPED_MODEL.dataSeed));
    const trainer = new Trainer({data, schedule: makeSchedule(DEFAULT_SCHEDULE.name, DEFAULT_SCHEDULE.T), config: {batchSize: batch}, seed: SHIPPED_MODEL.seed});
    type Kernel = {name: string; kernelTimeMs: number | {error: string}};
    const measure = async (steps: number) => {
      const start = performance.now();
      const info = await tf.profile(async () => { await trainer.runChunk(steps); });
      const wall = performance.now() - start;
      // An op with a custom gradient is profiled as "<op>__op" around the kernels it runs, which are
      // profiled too: count those wrappers in neither the kernels nor their time.
      const kernels = (info.kernels as unknown as Kernel[]).filter((k) => !k.name.endsWith("__op"));
      const ms = (k: Kernel) => (typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : NaN);
      const isMatmul = (k: Kernel) => /matmul/i.test(k.name);
      const byName = new Map<string, number>();
      for (const k of kernels) byName.set(k.name, (byName.get(k.name) ?? 0) + ms(k));
      return {
        wall, kernels: kernels.length, kernelMs: kernels.reduce((s, k) => s + ms(k), 0),
        matmulMs: kernels.filter(isMatmul).reduce((s, k) => s + ms(k), 0), matmulKernels: kernels.filter(isMatmul).length, byName,
      };
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    try {
      await trainer.runChunk(3);
      const per: {wall: number; kernels: number; kernelMs: number; matmulMs: number; matmulKernels: number}[] = [];
      let names = new Map<string, number>();
      for (let r = 0; r < repeats; ++r) {
        const m = await measure(chunk);
        per.push({wall: m.wall / chunk, kernels: m.kernels / chunk, kernelMs: m.kernelMs / chunk, matmulMs: m.matmulMs / chunk, matmulKernels: m.matmulKernels / chunk});
        names = m.byName;
      }
      const top = [...names].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([name, ms]) => `${name} ${(ms / chunk).toFixed(2)}`).join(", ");
      return {
        wallMs: median(per.map((p) => p.wall)), kernels: median(per.map((p) => p.kernels)), kernelMs: median(per.map((p) => p.kernelMs)),
        matmulMs: median(per.map((p) => p.matmulMs)), matmulKernels: median(per.map((p) => p.matmulKernels)), top,
      };
    } finally {
      trainer.dispose();
    }
  }, {modules, batch, repeats, chunk: CHUNK});
}

export const trainingKernels: Section = {
  name: "training-kernels",
  about: `where one training step's time goes: Trainer(DEFAULT_CONFIG) on "ring" in a blank page, per backend and batch; tf.profile of chunks of ${CHUNK} steps (one readback each, as the worker's) ÷ ${CHUNK}, median of ${REPEATS}; kernel ms = Σ tf.profile kernelTimeMs (wall time around each kernel on wasm and cpu; "<op>__op" wrappers of custom-gradient ops left out, as their kernels are counted); matmul = the MatMul/_FusedMatMul/BatchMatMul kernels; outside kernels = the step's wall time − kernel ms (JS: batch assembly, dispatch, bookkeeping; profiling adds some); µs/other kernel = (kernel ms − matmul ms) ÷ the non-matmul kernels — the floor: at batch 256 the step is many small kernels each costing about that, not arithmetic. Top = the four kernel names with most time per step (ms)`,
  async run(context: BenchContext): Promise<Row[]> {
    const modules = await componentModules(context.site);
    const rows: Row[] = [];
    for (const backend of BACKENDS) {
      const bench = await blankPage(context);
      try {
        const status = await useBackend(bench.page, modules, backend);
        if (!status.ok) { rows.push({backend, note: `not measured: ${status.reason}`}); continue; }
        for (const batch of BATCHES) {
          const p = await profileStep(bench.page, modules, batch, REPEATS);
          const other = p.kernels - p.matmulKernels;
          rows.push({
            backend, batch, "wall ms/step": round(p.wallMs, 2), kernels: p.kernels, "kernel ms": round(p.kernelMs, 2),
            "matmul ms": round(p.matmulMs, 2), "matmul share": round(p.matmulMs / p.wallMs, 2), "outside kernels ms": round(p.wallMs - p.kernelMs, 2),
            "µs/other kernel": round((1000 * (p.kernelMs - p.matmulMs)) / Math.max(other, 1), 1), top: p.top,
          });
        }
        const problems = bench.problems();
        if (problems.length) throw new Error(`page had problems:\n  ${problems.join("\n  ")}`);
      } finally {
        await bench.close();
      }
    }
    return rows;
  },
};
