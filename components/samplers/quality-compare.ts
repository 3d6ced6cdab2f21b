// The Sampling chapter's quality-against-cost experiment: every sampler at every budget, with each of
// several denoisers, from one x_T — scored against the data (SW₂) and, for the deterministic samplers
// on the reference denoiser, against where the probability-flow ODE really ends from the same start.
import type {Denoiser, Points} from "../math/types.js";
import type {Schedule} from "../math/schedules.js";
import {samplerByName, type SamplerEntry, type SamplerName} from "./index.js";
import {qualitySweep, rmsDistance, sweepSteps, type SweepRunner} from "./quality-sweep.js";
import {drain} from "./paced.js";

/** One denoiser to sweep: `which` names it in series keys; `get()` may start it (a worker), or say why it cannot. */
export interface SweptDenoiser {
  which: string;
  /** Its schedule, known before `get()` (it fixes how many runs the sweep will take). */
  schedule: Schedule;
  get(): Promise<{denoiser: Denoiser; schedule: Schedule; note: string | null; run?: SweepRunner}>;
}

/** One measured point of a curve. */
export interface MeasuredPoint {
  steps: number;
  nfe: number;
  value: number;
}

/** One curve: a sampler with one denoiser, keyed `${which}:${sampler}`. */
export interface MeasuredSeries {
  key: string;
  which: string;
  sampler: SamplerName;
  points: MeasuredPoint[];
}

/** Where the experiment is; every report carries everything measured so far. */
export interface QualityProgress {
  /**
   * "reference": solving the ODE for the reference; "starting": getting `which`'s denoiser;
   * "running": a point was just measured (`last`); "done": every run finished; "failed": `which`'s
   * denoiser could not start (`note` says why) and the sweep stopped.
   */
  phase: "reference" | "starting" | "running" | "done" | "failed";
  which: string | null;
  last: {sampler: SamplerName; steps: number} | null;
  note: string | null;
  /** SW₂ (the `score`) of every run, by series key, in the order first measured. */
  series: MeasuredSeries[];
  /** RMS distance from each deterministic sampler's samples to the ODE's end, reference denoiser only. */
  distances: MeasuredSeries[];
  /** What the data scores against itself. */
  floor: number;
  done: number;
  total: number;
  /** Wall time since the sweep started. */
  seconds: number;
}

/** What {@link compareQuality} runs. */
export interface QualityComparison {
  denoisers: readonly SweptDenoiser[];
  samplers: readonly SamplerEntry[];
  /** The start shared by every run, [n, 2]. */
  xT: Points;
  score: (x: Points) => number;
  /** The data-vs-data floor (e.g. a cached dataBaseline). */
  floor: () => Promise<number>;
  seed: number;
  maxNfe: number;
  /** Heun steps for the ODE reference on the first denoiser (default 400: converged far below the chart's range). */
  referenceSteps?: number;
  signal?: AbortSignal;
}

/**
 * Runs the experiment, reporting after each phase change and each measured point. The ODE reference is
 * the first denoiser's (the exact one, whose ODE has a true end); its deterministic samplers are also
 * measured against it. Stops quietly when `signal` aborts; stops with a "failed" report when a
 * denoiser cannot start.
 */
export async function* compareQuality(spec: QualityComparison): AsyncGenerator<QualityProgress, void, void> {
  const {denoisers, samplers, xT, score, seed, maxNfe, signal} = spec;
  const started = performance.now();
  const series = new Map<string, MeasuredSeries>(), distances = new Map<string, MeasuredSeries>();
  const total = denoisers.reduce((n, d) => n + samplers.reduce((m, e) => m + sweepSteps(e, d.schedule, maxNfe).length, 0), 0);
  let done = 0;
  const floor = await spec.floor();
  const report = (phase: QualityProgress["phase"], which: string | null, last: QualityProgress["last"] = null, note: string | null = null): QualityProgress => ({
    phase, which, last, note, series: [...series.values()], distances: [...distances.values()], floor, done, total, seconds: (performance.now() - started) / 1000,
  });
  yield report("reference", null);
  const reference = await denoisers[0].get();
  let odeEnd: Points | null = null;
  await drain(samplerByName("heun").steps(reference.denoiser, reference.schedule, xT, {steps: spec.referenceSteps ?? 400}), (s) => (odeEnd = s.x), {signal});
  for (const [k, swept] of denoisers.entries()) {
    if (signal?.aborted) return;
    yield report("starting", swept.which);
    const {denoiser, schedule, note, run} = await swept.get();
    if (note) {
      yield report("failed", swept.which, null, note);
      return;
    }
    for await (const p of qualitySweep({samplers, denoiser, schedule, xT, score, seed, maxNfe, signal, run})) {
      const key = `${swept.which}:${p.sampler}`, point = {steps: p.steps, nfe: p.nfe, value: p.value};
      if (!series.has(key)) series.set(key, {key, which: swept.which, sampler: p.sampler, points: []});
      series.get(key)!.points.push(point);
      if (k === 0 && odeEnd && !samplerByName(p.sampler).stochastic) {
        if (!distances.has(key)) distances.set(key, {key, which: swept.which, sampler: p.sampler, points: []});
        distances.get(key)!.points.push({...point, value: rmsDistance(p.x, odeEnd)});
      }
      ++done;
      yield report("running", swept.which, {sampler: p.sampler, steps: p.steps});
    }
  }
  if (!signal?.aborted && done === total) yield report("done", null);
}
