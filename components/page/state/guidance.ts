// The Guidance & control chapter's URL table: every control of /guidance, declared once (its inputs
// are built from it by page/controls.ts; the two class pickers, whose choices depend on the data set,
// are views/class-picker.ts kept in the URL under `c` and `avoid`).
import {LABELLED} from "../../math/labelled.js";
import {choiceParam, numberParam} from "../url-state.js";

/** The data sets: the ready-made labelled mixtures and the reader's drawing. */
export const GUIDANCE_DATA = [...LABELLED.map((l) => l.name), "drawn"] as const;
export type GuidanceData = (typeof GUIDANCE_DATA)[number];

/** The largest class index any data set has (8 modes; a drawing has at most 8 inks). */
const MAX_CLASS = 7;

export const guidanceTable = {
  data: choiceParam<GuidanceData>("ring-modes", GUIDANCE_DATA, {
    label: "Data set", labels: {...Object.fromEntries(LABELLED.map((l) => [l.name, l.label])), drawn: "Your drawing, a class per ink"},
  }),
  /** The class asked for (a ClassPicker; clamped to the data set's classes). */
  c: numberParam(0, {min: 0, max: MAX_CLASS, step: 1}),
  t: numberParam(40, {min: 0, max: 99, step: 1}, {label: "t"}),
  s: numberParam(1, {min: 0, max: 10, step: 0.1}, {label: "classifier scale s"}),
  w: numberParam(3, {min: -1, max: 15, step: 0.1}, {label: "guidance weight w"}),
  tg: numberParam(10, {min: 0, max: 99, step: 1}, {label: "field at t"}),
  /** The class steered away from (a ClassPicker). */
  avoid: numberParam(2, {min: 0, max: MAX_CLASS, step: 1}),
  wneg: numberParam(3, {min: 0, max: 15, step: 0.1}, {label: "weight away from it"}),
  t0: numberParam(15, {min: 0, max: 99, step: 1}, {label: "noise to t₀"}),
  x1: numberParam(1.4, {min: -2.5, max: 2.5, step: 0.05}, {label: "known x₁"}),
  resample: numberParam(1, {min: 1, max: 20, step: 1}, {label: "resampling U"}),
  seed: numberParam(1, {min: 0, max: 1e6, step: 1}, {label: "Seed", kind: "number"}),
};
