// Small multiples of the Noise schedules chapter: the same points noised with the same ε under each
// schedule at one t, with ᾱ and log SNR under each panel.
import {Plane} from "./plane.js";
import {noiseWith} from "../math/forward.js";
import type {ForwardCurve} from "../math/schedule-compare.js";
import {formatAlphaBar, formatLogSnr} from "./schedule-tables.js";

export interface ScheduleMultiples extends HTMLDivElement {
  /**
   * Draws x_k = √ᾱ_k·x0 + √(1−ᾱ_k)·ε under each schedule (one curve per panel, in order) at step
   * k (clamped to T); `data` names the data set for the text alternatives. x0, eps: [n, 2].
   */
  update(x0: Float64Array, eps: Float64Array, curves: readonly ForwardCurve[], k: number, data: string): void;
}

/**
 * One card per schedule in a grid of `columns` columns, each plane `side` px square. Each panel's
 * readout carries `data-schedule=<name>`.
 */
export function ScheduleMultiples(schedules: readonly {name: string; label: string; color: string}[], {columns, side}: {columns: number; side: number}): ScheduleMultiples {
  const root = document.createElement("div") as unknown as ScheduleMultiples;
  root.className = "grid multiples";
  root.style.cssText = `grid-template-columns: repeat(${columns}, minmax(0, 1fr)); grid-auto-rows: auto;`;
  const panels = schedules.map(({name, label, color}) => {
    const card = document.createElement("div"), title = document.createElement("h2"), readout = document.createElement("p");
    card.className = "card";
    title.textContent = label;
    readout.className = "multiple-readout";
    readout.dataset.schedule = name;
    const plane = Plane({width: side, color, label: `${label} schedule`});
    card.append(title, plane, readout);
    root.append(card);
    return {label, plane, readout};
  });
  let xt = new Float64Array(0);
  root.update = (x0, eps, curves, k, data) => {
    if (xt.length !== x0.length) xt = new Float64Array(x0.length);
    const T = curves[0].T, at = Math.min(k, T);
    panels.forEach(({label, plane, readout}, i) => {
      const ab = curves[i].alphaBar[at];
      plane.update(noiseWith(x0, eps, ab, xt));
      readout.textContent = `ᾱ = ${formatAlphaBar(ab)} · log SNR = ${formatLogSnr(curves[i].logSnr[at])}`;
      plane.describe(`2,000 points of the ${data} data set at t = ${at} of ${T} under the ${label} schedule: ᾱ = ${formatAlphaBar(ab)}`);
    });
  };
  return root;
}
