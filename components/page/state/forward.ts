// The Forward process chapter's URL table: every control of /forward, declared once (its inputs are
// built from it by page/controls.ts, and a link reproduces what the reader saw).
import {DATASETS, DATASETS_1D} from "../../math/datasets.js";
import {SCHEDULES} from "../../math/schedules.js";
import {choiceParam, numberParam} from "../url-state.js";

/** Steps of the forward process on /forward. */
export const T = 1000;

/** The data set, schedule, cloud size, timestep and 1D data set of /forward. */
export const forwardTable = {
  data: choiceParam("moons", DATASETS.map((d) => d.name), {label: "Data set", labels: Object.fromEntries(DATASETS.map((d) => [d.name, d.label]))}),
  schedule: choiceParam("linear", SCHEDULES.map((s) => s.name), {label: "Schedule", labels: Object.fromEntries(SCHEDULES.map((s) => [s.name, s.label]))}),
  n: choiceParam("5000", ["5000", "20000"], {label: "Points", kind: "radio", labels: {5000: "5,000", 20000: "20,000"}}),
  t: numberParam(0, {min: 0, max: T, step: 1}, {label: "t", kind: "scrubber", duration: 8}),
  data1d: choiceParam("bimodal", DATASETS_1D.map((d) => d.name), {label: "1D data", kind: "radio", labels: Object.fromEntries(DATASETS_1D.map((d) => [d.name, d.label]))}),
};
