// What /faster shows, gathered from the suite's events (built at build time or streamed from the
// worker): each method's quality at each NFE and its samples, the training losses, the curvature and
// the paths of the flows. Free of tfjs.
import {FASTER_METHODS, METHOD_INFO, NFE_LADDER, fieldTauIndex, type FasterMethod, type SuiteEvent} from "../model/faster-config.js";
import type {QualitySeries} from "../views/quality-chart.js";

/** One quality measurement: SW₂ to held-out data and wall ms (NaN when measured at build time). */
export interface Measured {
  nfe: number;
  sw: number;
  ms: number;
  x: Float64Array;
}

/** The loss of each chunk of one training round. */
export interface LossCurve {
  method: FasterMethod;
  round: string;
  steps: number[];
  values: number[];
}

export interface FasterResults {
  quality: Map<FasterMethod, Measured[]>;
  /** Every training round as it ended. */
  rounds: {method: FasterMethod; round: string; steps: number; firstLoss: number; lastLoss: number; ms: number}[];
  /** Loss per chunk of the round in progress or last finished, with its label. */
  loss: LossCurve | null;
  curvature: Partial<Record<FasterMethod, number>>;
  paths: Partial<Record<FasterMethod, Float64Array[]>>;
  /** A flow's learned velocity at the FIELD_GRID points, one [k², 2] array per τ of FIELD_TAUS. */
  fields: Partial<Record<FasterMethod, Float64Array[]>>;
  /** SW₂ between two draws of the data (NaN before the run reports it). */
  floor: number;
  /** Set when a live run failed. */
  error: string | null;
}

export function emptyResults(): FasterResults {
  return {quality: new Map(), rounds: [], loss: null, curvature: {}, paths: {}, fields: {}, floor: NaN, error: null};
}

/**
 * Adds one event (as sent by the worker, or read back from JSON with arrays in place of typed
 * arrays and null for NaN) to `r`, in place; returns r.
 */
export function addEvent(r: FasterResults, e: SuiteEvent): FasterResults {
  switch (e.type) {
    case "progress": r.loss = extendLoss(r.loss, e); break;
    case "round-end": r.rounds.push({...e}); break;
    case "quality": {
      const list = r.quality.get(e.method) ?? [];
      list.push({nfe: e.nfe, sw: e.sw, ms: e.ms ?? NaN, x: Float64Array.from(e.x)});
      r.quality.set(e.method, list.sort((a, b) => a.nfe - b.nfe));
      break;
    }
    case "curvature": r.curvature[e.method] = e.value; break;
    case "floor": r.floor = e.value; break;
    case "paths": r.paths[e.method] = e.path.map((x) => Float64Array.from(x)); break;
    case "field": r.fields[e.method] = e.velocity.map((v) => Float64Array.from(v)); break;
  }
  return r;
}

/** A round's loss curve with one more chunk: `curve` extended in place, or a new curve when the round changed. */
export function extendLoss(curve: LossCurve | null, e: SuiteEvent & {type: "progress"}): LossCurve {
  const next = curve && curve.method === e.method && curve.round === e.round ? curve : {method: e.method, round: e.round, steps: [], values: []};
  next.steps.push(e.step);
  next.values.push(e.loss);
  return next;
}

/** Results from a list of events (the build-time file). */
export function resultsOf(events: readonly SuiteEvent[]): FasterResults {
  return events.reduce(addEvent, emptyResults());
}

/** One curve per method with measurements: SW₂ against NFE, or against wall ms (points without a time left out). */
export function qualitySeries(r: FasterResults, x: "nfe" | "ms"): QualitySeries[] {
  return FASTER_METHODS.filter((m) => r.quality.has(m)).map((m) => ({
    key: METHOD_INFO[m].key, label: m, color: METHOD_INFO[m].color, dash: METHOD_INFO[m].dash,
    points: r.quality.get(m)!.filter((p) => x === "nfe" || p.ms > 0).map((p) => ({nfe: x === "nfe" ? p.nfe : p.ms, steps: p.nfe, value: p.sw})),
  }));
}

/** The measurement of `method` at the NFE nearest to `nfe` (in log terms), or null before it has any. */
export function measuredAt(r: FasterResults, method: FasterMethod, nfe: number): Measured | null {
  const list = r.quality.get(method);
  if (!list?.length) return null;
  return list.reduce((best, p) => (Math.abs(Math.log(p.nfe / nfe)) < Math.abs(Math.log(best.nfe / nfe)) ? p : best));
}

/**
 * Every method's measurements as table rows: the method, then one cell per NFE of NFE_LADDER with
 * "SW₂ · ms" (wall ms for the n samples; SW₂ alone when not timed, "" when not measured).
 */
export function qualityRows(r: FasterResults): Record<string, string>[] {
  return FASTER_METHODS.filter((m) => r.quality.has(m)).map((m) => {
    const row: Record<string, string> = {method: m};
    for (const nfe of NFE_LADDER) {
      const p = r.quality.get(m)!.find((q) => q.nfe === nfe);
      row[nfe] = !p ? "" : p.ms > 0 ? `${p.sw.toFixed(3)} · ${Math.round(p.ms)} ms` : p.sw.toFixed(3);
    }
    return row;
  });
}

/** The learned velocity of `method` at the FIELD_TAUS entry nearest τ ([k², 2] at the FIELD_GRID points), or null before it is measured. */
export function learnedFieldAt(r: FasterResults, method: FasterMethod, tau: number): Float64Array | null {
  return r.fields[method]?.[fieldTauIndex(tau)] ?? null;
}

/** The rounds as table rows: method, round, loss first → last, seconds. */
export function roundRows(r: FasterResults): {method: string; round: string; loss: string; seconds: string}[] {
  return r.rounds.map((x) => ({
    method: x.method, round: x.round,
    loss: `${x.firstLoss.toPrecision(2)} → ${x.lastLoss.toPrecision(2)}`,
    seconds: (x.ms / 1000).toFixed(1),
  }));
}
