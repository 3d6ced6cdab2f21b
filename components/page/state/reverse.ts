// The Reverse process chapter's URL table: one declaration per setting, from which the page builds its
// inputs (page/controls.ts) and keeps the URL in step (page/url-state.ts).
import {MIXTURES} from "../../math/mixture.js";
import {choiceParam, numberParam, type Param} from "../url-state.js";

/** The chapter's schedules all have this many steps, so "T = 1000" is one step of the chain. */
export const REVERSE_T = 1000;

/** The step counts whose single reverse step the chapter draws side by side. */
export const STEP_COUNTS = [1000, 100, 20, 5] as const;

/** Step counts offered for DDPM runs and the variance chart (as strings: a menu's values). */
export const RUN_STEPS = ["2", "3", "5", "10", "20", "100", "1000"] as const;

/**
 * A point of the plane as "x,y" in the URL (each in [−3, 3], two decimals). It has no control of its
 * own: the page's point picker is its input.
 */
export function pointParam(value: [number, number], extent = 3): Param<[number, number]> {
  return {
    default: value,
    parse(raw) {
      const parts = raw.split(",").map((v) => (v.trim() === "" ? NaN : Number(v)));
      if (parts.length !== 2 || !parts.every((v) => Number.isFinite(v) && Math.abs(v) <= extent)) return undefined;
      return [Math.round(parts[0] * 100) / 100, Math.round(parts[1] * 100) / 100];
    },
    format: ([x, y]) => `${+x.toFixed(2)},${+y.toFixed(2)}`,
  };
}

/** The chapter's settings: data set, schedule, the picked x_t (t and point) and DDPM's step count. */
export const reverseTable = {
  mixture: choiceParam("ring", MIXTURES.map((m) => m.name), {label: "Data", labels: Object.fromEntries(MIXTURES.map((m) => [m.name, m.label]))}),
  schedule: choiceParam("cosine", ["cosine", "linear"] as const, {label: "Schedule", kind: "radio", labels: {cosine: "cosine", linear: "linear"}}),
  // From t = T/5 up, so that even the 5-step stride lands on a noisy state (β̃ > 0).
  t: numberParam(250, {min: REVERSE_T / 5, max: REVERSE_T - 1, step: 1}, {label: "t (of 1000)"}),
  at: pointParam([0.7, 0.3]),
  steps: choiceParam("3", RUN_STEPS, {label: "DDPM steps"}),
};
