// Guided sampling (issue 10): what one guided run costs with the exact conditional model — two model
// evaluations per step for classifier-free guidance, one model and one classifier evaluation for
// classifier guidance — in a blank page of the built site; and the /guidance page's frames while a
// reader drags the w slider (every run is time-sliced, so frames should stay near 60 Hz).
// And the trained conditional network on wasm: training steps per second beside the unconditional
// trainer's, and one guided run's wall time (one network evaluation of 2n rows per step).
import type {Page} from "playwright-core";
import {visit} from "../test/browser/harness.js";
import {blankPage, componentModules, fileAttachment, useBackend, type Modules} from "./page.js";
import type {BenchContext, Row, Section} from "./section.js";
import {countAbove, round, summarise} from "./stats.js";

/** Points per run, and timed repetitions of each (after one untimed). */
const N = 2000;
const REPEATS = 3;

interface RunTiming {
  data: string;
  method: string;
  sampler: string;
  steps: number;
  evals: number;
  ms: number[];
  share: number;
  spread: number;
}

/** Page-side: every configuration REPEATS times on N points, timing `run` and counting the conditional model's evaluations. */
function timeRuns(page: Page, modules: Modules): Promise<RunTiming[]> {
  return page.evaluate(async ({modules, n, repeats}) => {
    const {labelledByName}: typeof import("../components/math/labelled.js") = await import(modules["math/labelled"]);
    const {exactConditionalDenoiser, exactClassifier}: typeof import("../components/math/classifier.js") = await import(modules["math/classifier"]);
    const {classYardstick, measureClass}: typeof import("../components/math/class-metrics.js") = await import(modules["math/class-metrics"]);
    const {classifierFree, classifierGuided, conditioned}: typeof import("../components/samplers/guidance.js") = await import(modules["samplers/guidance"]);
    const {guidedSteps}: typeof import("../components/samplers/guided-runs.js") = await import(modules["samplers/guided-runs"]);
    const {collect}: typeof import("../components/samplers/common.js") = await import(modules["samplers/common"]);
    const {makeSchedule}: typeof import("../components/math/schedules.js") = await import(modules["math/schedules"]);
    const schedule = makeSchedule("cosine", 100), out: RunTiming[] = [];
    for (const data of ["ring-modes", "moons"] as const) {
      const lm = labelledByName(data), exact = exactConditionalDenoiser(lm, schedule), yardstick = classYardstick(lm, 0, n, 7);
      let evals = 0;
      const model = {...exact, eps: (xt: Float64Array, t: number, c: number | null) => (++evals, exact.eps(xt, t, c))};
      const configs = [
        {method: "conditional (w = 0, no guidance)", sampler: "ddim" as const, make: () => conditioned(model, 0)},
        {method: "classifier-free, w = 3", sampler: "ddim" as const, make: () => classifierFree(model, {c: 0, w: 3})},
        {method: "classifier-free, w = 3", sampler: "ddpm" as const, make: () => classifierFree(model, {c: 0, w: 3})},
        {method: "classifier guidance, s = 4 (exact classifier)", sampler: "ddim" as const, make: () => classifierGuided(conditioned(model, null), exactClassifier(lm, schedule), schedule, {c: 0, s: 4})},
      ];
      for (const {method, sampler, make} of configs) {
        const ms: number[] = [];
        let x: Float64Array = new Float64Array(0), counted = 0;
        for (let k = 0; k <= repeats; ++k) {
          evals = 0;
          const start = performance.now();
          x = (await collect(guidedSteps(make(), schedule, sampler, n, 1 + k))).x;
          if (k > 0) ms.push(performance.now() - start);
          counted = evals;
        }
        const m = measureClass(lm, 0, x, yardstick);
        out.push({data, method, sampler, steps: schedule.T, evals: counted, ms, share: m.shares[0], spread: m.spread});
      }
    }
    return out;
  }, {modules, n: N, repeats: REPEATS});
}

export const guidance: Section = {
  name: "guidance",
  about: `one guided sampling run with the exact conditional model (JS), ${N} points, T = 100 steps of DDIM (η = 0) or DDPM (σ² = β) on the cosine schedule, class 0; median of ${REPEATS} timed runs after one untimed; model evals = calls of ε(x_t, t, c) (2 per step for classifier-free guidance; classifier guidance spends 1 plus one exact classifier gradient); in class and spread as on /guidance (class-metrics.ts). The trained network's rows are in guidance-trained`,
  async run(context: BenchContext): Promise<Row[]> {
    const modules = await componentModules(context.site);
    const bench = await blankPage(context);
    try {
      const runs = await timeRuns(bench.page, modules);
      const problems = bench.problems();
      if (problems.length) throw new Error(`page had problems:\n  ${problems.join("\n  ")}`);
      return runs.map((r) => {
        const s = summarise(r.ms);
        return {data: r.data, method: r.method, sampler: r.sampler, steps: r.steps, "model evals": r.evals, "median ms": round(s.median), "max ms": round(s.max), "ms/eval": round(s.median / r.evals, 2), "in class %": round(100 * r.share, 1), spread: round(r.spread, 2)};
      });
    } finally {
      await bench.close();
    }
  },
};

/** w values dragged across, one per animation frame: 0 → 10 → 0 in steps of 0.1 over ~3.3 s. */
const DRAG = [...Array.from({length: 101}, (_, i) => i / 10), ...Array.from({length: 100}, (_, i) => (99 - i) / 10)];

/**
 * In the page: one w per animation frame on the slider — `values` in turn, over and over until `ms`
 * have passed (once through when 0) — then `settleFrames` frames more; each frame's interval, split
 * into those of the drag and those after it.
 */
function dragW(page: Page, values: number[], {ms = 0, settleFrames = 180} = {}): Promise<{drag: number[]; settle: number[]}> {
  return page.evaluate(({values, ms, settleFrames}) => new Promise<{drag: number[]; settle: number[]}>((resolve, reject) => {
    const input = document.querySelector<HTMLInputElement>('[data-control="w"] input[type=range]');
    if (!input) return reject(new Error("no w slider ([data-control=w] input[type=range]) on the page"));
    const drag: number[] = [], settle: number[] = [], end = performance.now() + ms;
    let k = 0, last = 0, settled = 0;
    const frame = (now: number) => {
      const dragging = k < values.length || now < end;
      if (last) (dragging || settled === 0 ? drag : settle).push(now - last);
      last = now;
      if (dragging) {
        input.value = String(values[k++ % values.length]);
        input.dispatchEvent(new Event("input", {bubbles: true}));
      } else ++settled;
      if (settled <= settleFrames) requestAnimationFrame(frame);
      else resolve({drag, settle});
    };
    requestAnimationFrame(frame);
  }), {values, ms, settleFrames});
}

/** How long the tensor check drags w, in ms. */
const LONG_DRAG_MS = 60_000;

/** The trained panel's worker tensor count, once its readout shows a finished run. */
async function workerTensors(page: Page): Promise<number> {
  await page.waitForFunction(() => /tensors in its worker/.test(document.querySelector('.readouts[data-run="trained"]')?.textContent ?? ""), null, {timeout: 120_000});
  const text = await page.$eval('.readouts[data-run="trained"]', (r) => r.textContent ?? "");
  return Number(text.match(/(\d+) tensors in its worker/)![1]);
}

export const guidancePage: Section = {
  name: "guidance-page",
  about: `/guidance while a reader drags w from 0 to 10 and back, one value per animation frame (${DRAG.length} frames), then 180 frames as the last runs finish: frame intervals (requestAnimationFrame timestamps; 16.7 ms at 60 Hz) during the drag and after it; then w dragged for ${LONG_DRAG_MS / 1000} s with the trained network's panel on screen (one value per frame; frames and its worker's tf.memory().numTensors before → after, as the panel shows it). Every w is answered by two exact previews computed within the frame (DDIM and DDPM, 50 steps on 125 points); the full runs (1,000 points, 100 steps, time-sliced) start once w rests for 150 ms`,
  async run({browser, origin}: BenchContext): Promise<Row[]> {
    const v = await visit(browser, origin, "/guidance");
    try {
      // tsx compiles named functions into __name(fn, "fn") calls, which page.evaluate carries into the page.
      await v.page.evaluate("globalThis.__name = (f) => f");
      await v.page.waitForFunction(() => document.querySelector('.readouts[data-run="ddim"]')?.textContent?.includes("asked for"), null, {timeout: 120_000});
      await v.page.evaluate(() => document.querySelector(".cfg-panels")!.scrollIntoView());
      const {drag, settle} = await dragW(v.page, DRAG);
      // Then a minute of dragging with the trained network's panel on screen: its worker's tensors must not grow.
      await v.page.evaluate(() => document.querySelector(".trained-panels")!.scrollIntoView());
      const before = await workerTensors(v.page);
      const {drag: long} = await dragW(v.page, DRAG, {ms: LONG_DRAG_MS, settleFrames: 0});
      await v.page.waitForTimeout(2000);
      const after = await workerTensors(v.page);
      const problems = await v.problems();
      if (problems.length) throw new Error(`/guidance had problems:\n  ${problems.join("\n  ")}`);
      const frames = [["dragging w", drag], ["after the drag", settle], [`dragging w for ${LONG_DRAG_MS / 1000} s, trained panel on screen`, long]].map(([phase, ms]): Row => {
        const s = summarise(ms as number[]);
        return {phase: phase as string, frames: (ms as number[]).length, "median ms": round(s.median), "p95 ms": round(s.p95), "max ms": round(s.max), "frames > 50 ms": countAbove(ms as number[], 50)};
      });
      frames[2]["worker tensors"] = `${before} → ${after}`;
      frames[2].ok = before === after ? "flat" : "GREW";
      return frames;
    } finally {
      await v.close();
    }
  },
};

/** Training steps timed per trainer (after 3 warm-up steps), in chunks of CHUNK (one readback each). */
const TRAIN_STEPS = 300;
const CHUNK = 25;

/** Page-side, on wasm: steps/s of Trainer and ConditionalTrainer (DEFAULT_CONFIG, 8 Gaussians), then guided runs of the shipped conditional model. */
function trainedTimings(page: Page, modules: Modules, weightsUrl: string): Promise<Row[]> {
  return page.evaluate(async ({modules, weightsUrl, n, repeats, steps, chunk}) => {
    const {Trainer}: typeof import("../components/model/trainer.js") = await import(modules["model/trainer"]);
    const {ConditionalTrainer}: typeof import("../components/model/conditional-trainer.js") = await import(modules["model/conditional-trainer"]);
    const {parseWeightsFile}: typeof import("../components/model/weights.js") = await import(modules["model/weights"]);
    const {DEFAULT_SCHEDULE}: typeof import("../components/model/defaults.js") = await import(modules["model/defaults"]);
    const {makeSchedule}: typeof import("../components/math/schedules.js") = await import(modules["math/schedules"]);
    const {labelledByName, sampleLabelled}: typeof import("../components/math/labelled.js") = await import(modules["math/labelled"]);
    const {rngFromSeed}: typeof import("../components/math/random.js") = await import(modules["math/random"]);
    const {classYardstick, measureClass}: typeof import("../components/math/class-metrics.js") = await import(modules["math/class-metrics"]);
    const {ddim}: typeof import("../components/samplers/ddim.js") = await import(modules["samplers/ddim"]);
    const {startNoise}: typeof import("../components/samplers/sampling-plan.js") = await import(modules["samplers/sampling-plan"]);
    const lm = labelledByName("ring-modes"), {points, labels} = sampleLabelled(lm, 4000, rngFromSeed(1));
    const schedule = makeSchedule(DEFAULT_SCHEDULE.name, DEFAULT_SCHEDULE.T), rows: Record<string, string | number>[] = [];
    for (const kind of ["unconditional", "conditional (8 classes, p_uncond 0.2)"]) {
      const trainer = kind === "unconditional" ? new Trainer({data: points, schedule, seed: 1}) : new ConditionalTrainer({data: points, labels, classes: 8, schedule, seed: 1});
      await trainer.runChunk(3);
      const start = performance.now();
      while (trainer.stepCount < 3 + steps) await trainer.runChunk(chunk);
      const ms = performance.now() - start;
      rows.push({what: `training, ${kind}`, batch: trainer.config.batchSize, steps, "steps/s": Math.round((10 * 1000 * steps) / ms) / 10});
      trainer.dispose();
    }
    const file = parseWeightsFile(await (await fetch(weightsUrl)).text());
    const trainer = ConditionalTrainer.fromLabelledFile(file, points, labels), yardstick = classYardstick(lm, 0, n, 7);
    for (const [label, w, guided] of [["DDIM, ε(x, t, ∅) (1 eval of n rows per step)", 0, false], ["DDIM, CFG w = 0 (1 eval of 2n rows per step)", 0, true], ["DDIM, CFG w = 3 (1 eval of 2n rows per step)", 3, true]] as const) {
      const ms: number[] = [];
      let x: Float64Array = new Float64Array(0);
      for (let k = 0; k <= repeats; ++k) {
        const start = performance.now();
        x = (await ddim(guided ? trainer.guided({c: 0, w}) : trainer.denoiser(), schedule, startNoise(n, k), {steps: schedule.T, eta: 0})).x;
        if (k > 0) ms.push(performance.now() - start);
      }
      ms.sort((a, b) => a - b);
      const m = measureClass(lm, 0, x, yardstick);
      rows.push({what: `sampling, ${label}`, points: n, steps: schedule.T, "median ms": Math.round(ms[ms.length >> 1]), "in class %": Math.round(1000 * m.shares[0]) / 10, spread: Math.round(100 * m.spread) / 100});
    }
    trainer.dispose();
    return rows;
  }, {modules, weightsUrl, n: N, repeats: REPEATS, steps: TRAIN_STEPS, chunk: CHUNK});
}

export const guidanceTrained: Section = {
  name: "guidance-trained",
  about: `the trained conditional network on wasm in a blank page of the built site: training steps/s of Trainer and ConditionalTrainer (DEFAULT_CONFIG, 4,000 labelled draws of the 8 Gaussians, ${TRAIN_STEPS} steps after 3 warm-up, chunks of ${CHUNK}); then one sampling run of the shipped conditional model (${N} points, DDIM over all T = 100 steps, class 0, median of ${REPEATS} after one untimed): unconditional, and classifier-free guided at w = 0 and 3 (the conditional and unconditional halves as one batch of 2n rows per step); in class and spread as on /guidance`,
  async run(context: BenchContext): Promise<Row[]> {
    const modules = await componentModules(context.site);
    const weightsUrl = await fileAttachment(context.site, "data", "conditional-model.json");
    const bench = await blankPage(context);
    try {
      const status = await useBackend(bench.page, modules, "wasm");
      if (!status.ok) return [{what: "wasm", note: `unavailable: ${status.reason}`}];
      const rows = await trainedTimings(bench.page, modules, weightsUrl);
      const problems = bench.problems();
      if (problems.length) throw new Error(`page had problems:\n  ${problems.join("\n  ")}`);
      return rows;
    } finally {
      await bench.close();
    }
  },
};
