// The Score functions chapter's URL table: every control of /score, declared once (its inputs are
// built from it by page/controls.ts, and a link reproduces what the reader saw).
import {MIXTURES} from "../../math/mixture.js";
import {choiceParam, numberParam} from "../url-state.js";

/** Steps of the (linear) schedule whose q_t /score draws. */
export const T = 1000;

const mixtureLabels = Object.fromEntries(MIXTURES.map((m) => [m.name, m.label]));

/** The field's mixture and timestep, and the Langevin demo's mixture, log₁₀ step size and steps. */
export const scoreTable = {
  mixture: choiceParam("ring", MIXTURES.map((m) => m.name), {label: "Mixture", labels: mixtureLabels}),
  t: numberParam(100, {min: 0, max: T, step: 1}, {label: "t", kind: "scrubber", duration: 8}),
  langevin: choiceParam("two-modes", MIXTURES.map((m) => m.name), {label: "Mixture", labels: mixtureLabels}),
  delta: numberParam(-2.5, {min: -4, max: -1, step: 0.1}, {label: "step size log₁₀ δ"}),
  steps: numberParam(500, {min: 50, max: 2000, step: 50}, {label: "steps"}),
};
