// Plane layers for labelled data: points in their class's colour, the classifier's posterior as a
// colour map, and arrows scaled to the grid they sit on.
import {classify, classPosteriorAt} from "../math/classifier.js";
import {gridPoints} from "../math/point-grid.js";
import type {LabelledMixture} from "../math/labelled.js";
import type {Points} from "../math/types.js";
import {classColor, posteriorPixels} from "./class-colors.js";
import type {ImageLayer, PointsLayer} from "./plane.js";

/** One points layer per class, each point in the colour of the class it most probably belongs to (classify). x: [n, 2]. */
export function classPointLayers(lm: LabelledMixture, x: Points): PointsLayer[] {
  const labels = classify(lm, x), parts = lm.classes.map((): number[] => []);
  labels.forEach((c, i) => parts[c].push(x[2 * i], x[2 * i + 1]));
  return parts.map((p, c) => ({points: Float64Array.from(p), color: classColor(lm.classes[c].color)}));
}

/** The classifier q_t(c | x) at noise level ᾱ on a k×k grid over [−extent, extent]², as a colour map (posteriorPixels). */
export function posteriorLayer(lm: LabelledMixture, alphaBar: number, k = 64, extent = 3): ImageLayer {
  const post = classPosteriorAt(lm, alphaBar, gridPoints(k, extent));
  return {image: posteriorPixels(post, lm.classes.map((info) => classColor(info.color))), rows: k, cols: k};
}

/** A scale that makes the longest of `vectors` ([n, 2]) span 1.1 grid cells of size `cell`: arrows show direction and relative size. */
export function fitArrows(vectors: Float64Array, cell: number): number {
  let m = 0;
  for (let i = 0; i < vectors.length; i += 2) m = Math.max(m, Math.hypot(vectors[i], vectors[i + 1]));
  return m > 0 ? (1.1 * cell) / m : 1;
}
