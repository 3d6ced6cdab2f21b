// The Score chapter's drawings on a Plane: a score field over its density, Tweedie's denoiser as
// moves from noisy samples to their estimates, and the probe's marker.
import type {Plane} from "./plane.js";
import {scoreAt, type Mixture} from "../math/mixture.js";
import {densityGrid, gridPoints} from "../math/point-grid.js";
import type {Points} from "../math/types.js";

const EXTENT = 3, ARROWS = 21, DENSITY = 96;

/** The tails of the field's arrows: the centres of a 21×21 grid over [−3, 3]², [441, 2]. */
export const ARROW_TAILS: Points = gridPoints(ARROWS, EXTENT);

/** The factor that makes the longest of `vectors` ([n, 2]) span 1.1 grid cells: lengths are relative. */
export function arrowScale(vectors: Float64Array): number {
  let longest = 0;
  for (let i = 0; i + 1 < vectors.length; i += 2) longest = Math.max(longest, Math.hypot(vectors[i], vectors[i + 1]));
  return longest ? (1.1 * (2 * EXTENT) / ARROWS) / longest : 1;
}

/**
 * Draws q_t's density and arrows at ARROW_TAILS: `vectors` (default the exact score ∇log q_t), scaled
 * as `scaleBy` would be (default the vectors themselves), so two fields can share one scale.
 * Returns the exact score at ARROW_TAILS, [441, 2].
 */
export function drawScoreField(plane: Plane, qt: Mixture, {vectors, scaleBy}: {vectors?: Float64Array; scaleBy?: Float64Array} = {}): Float64Array {
  const exact = scoreAt(qt, ARROW_TAILS), shown = vectors ?? exact;
  plane.draw([
    {density: densityGrid(qt, DENSITY, EXTENT), rows: DENSITY, cols: DENSITY},
    {from: ARROW_TAILS, vectors: shown, scale: arrowScale(scaleBy ?? shown), color: "currentColor"},
  ]);
  return exact;
}

/** Noisy samples xt (orange) joined by grey lines to their denoised estimates x̂0 (green); both [n, 2]. */
export function drawTweedie(plane: Plane, xt: Points, x0: Points): void {
  const moves = x0.map((v, i) => v - xt[i]);
  plane.draw([{from: xt, vectors: moves, color: "#aaa", width: 0.7}, {points: xt, color: "#d0632f"}, {points: x0, color: "#2a9d8f"}]);
}

/** A red ring at the probe [x, y] on the plane's overlay (replacing the last one). */
export function markProbe(plane: Plane, [x, y]: readonly number[]): void {
  plane.overlay.innerHTML = `<circle cx="${plane.x(x)}" cy="${plane.y(y)}" r="5" fill="none" stroke="#e63946" stroke-width="2"></circle>`;
}
