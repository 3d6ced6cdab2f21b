// Small pieces of the forward chapter's view that are not generic charts.
import type {Plane} from "./plane.js";
import type {Series} from "./line-chart.js";
import type {Points} from "../math/types.js";
import {alphaBarAfter, type Schedule} from "../math/schedules.js";

/**
 * Per-coordinate variance of the noise each cloud added, x_t − √ᾱ·x0, which should equal 1 − ᾱ
 * for both the closed form and the Markov chain. x0, closed, chain: [n, d].
 */
export function agreement(x0: Points, closed: Points, chain: Points, alphaBar: number): {closed: number; chain: number} {
  const a = Math.sqrt(alphaBar);
  const variance = (x: Points) => {
    let sum = 0, sq = 0;
    for (let i = 0; i < x.length; ++i) {
      const r = x[i] - a * x0[i];
      sum += r;
      sq += r * r;
    }
    const mean = sum / x.length;
    return sq / x.length - mean * mean;
  };
  return {closed: variance(closed), chain: variance(chain)};
}

/** Draws one point's walk (path [(k+1), 2]) on a scatter's overlay, with a dot at its current end. */
export function followPath(plot: Plane, path: Float64Array): void {
  const {x, y, overlay} = plot;
  let d = "";
  for (let i = 0; i + 1 < path.length; i += 2) d += `${i ? "L" : "M"}${x(path[i]).toFixed(1)},${y(path[i + 1]).toFixed(1)}`;
  if (!overlay.firstChild) {
    overlay.innerHTML = `<path fill="none" stroke="currentColor" stroke-width="1.2" stroke-opacity="0.8"></path>
      <circle r="4.5" fill="#d0632f" stroke="currentColor" stroke-width="1.5"></circle>`;
  }
  overlay.querySelector("path")!.setAttribute("d", d);
  const end = path.length - 2;
  overlay.querySelector("circle")!.setAttribute("cx", x(path[end]).toFixed(1));
  overlay.querySelector("circle")!.setAttribute("cy", y(path[end + 1]).toFixed(1));
}

/** ᾱ_k (solid blue) and 1 − ᾱ_k (dashed orange) after k = 0..T steps of `schedule`: the variance shares of signal and noise. */
export function alphaBarCurves(schedule: Schedule): Series[] {
  const alphaBar = Float64Array.from({length: schedule.T + 1}, (_, k) => alphaBarAfter(schedule, k));
  return [
    {label: "ᾱ_t", values: alphaBar, color: "#4269d0"},
    {label: "1 − ᾱ_t", values: alphaBar.map((a) => 1 - a), color: "#d0632f", dash: "4,3"},
  ];
}
