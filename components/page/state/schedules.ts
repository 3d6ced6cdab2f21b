// The Noise schedules chapter's URL table: the schedule shown at t = T, the data set, T and the shared
// t, the zero-terminal-SNR switch and every schedule's endpoints. Its inputs are built by controlsFor.
import {booleanParam, choiceParam, numberParam, type Values} from "../url-state.js";
import {COMPARED, type CompareName} from "../../math/schedule-compare.js";
import {DATASETS} from "../../math/datasets.js";
import type {KarrasOptions, ScheduleOptions} from "../../math/schedules.js";

const beta = (value: number, label: string) => numberParam(value, {min: 1e-7, max: 0.999}, {label, kind: "number"});

export const schedulesTable = {
  schedule: choiceParam("scaled-linear", COMPARED.map((s) => s.name), {label: "Schedule", labels: Object.fromEntries(COMPARED.map((s) => [s.name, s.label]))}),
  data: choiceParam("moons", DATASETS.map((d) => d.name), {label: "Data set", labels: Object.fromEntries(DATASETS.map((d) => [d.name, d.label]))}),
  // T spans three decades, so its slider moves in log space.
  T: numberParam(1000, {min: 2, max: 4000, step: 1}, {label: "T (steps)", log: true}),
  // t is the scrubber's (a view of its own, bounded by T), so it has no input here.
  t: numberParam(500, {min: 0, max: 4000, step: 1}),
  zsnr: booleanParam(false, {label: "Zero terminal SNR (β schedules)"}),
  "linear-start": beta(1e-4, "Linear β₁"),
  "linear-end": beta(0.02, "Linear β_T"),
  "scaled-start": beta(0.00085, "Scaled linear β₁"),
  "scaled-end": beta(0.012, "Scaled linear β_T"),
  "sigmoid-start": beta(1e-4, "Sigmoid β_min"),
  "sigmoid-end": beta(0.02, "Sigmoid β_max"),
  "cosine-s": numberParam(0.008, {min: 0, max: 0.5}, {label: "Cosine s", kind: "number"}),
  "sigma-min": numberParam(0.002, {min: 1e-4, max: 1}, {label: "Karras σ_min", kind: "number"}),
  "sigma-max": numberParam(80, {min: 1, max: 1000}, {label: "Karras σ_max", kind: "number"}),
  rho: numberParam(7, {min: 1, max: 20}, {label: "Karras ρ", kind: "number"}),
};

export type SchedulesState = Values<typeof schedulesTable>;

/** The options forwardCurve takes for each compared schedule, from the table's endpoint settings. */
export function curveOptions(v: Omit<SchedulesState, "schedule" | "data" | "t">): Record<CompareName, ScheduleOptions & KarrasOptions> {
  const zeroTerminalSnr = v.zsnr;
  return {
    linear: {betaStart: v["linear-start"], betaEnd: v["linear-end"], zeroTerminalSnr},
    "scaled-linear": {betaStart: v["scaled-start"], betaEnd: v["scaled-end"], zeroTerminalSnr},
    cosine: {s: v["cosine-s"], zeroTerminalSnr},
    sigmoid: {betaStart: v["sigmoid-start"], betaEnd: v["sigmoid-end"], zeroTerminalSnr},
    karras: {sigmaMin: v["sigma-min"], sigmaMax: v["sigma-max"], rho: v.rho},
  };
}
