// The straight-path velocity fields of /faster on a Plane: the exact field and a learned one drawn by
// the same code, as arrows along −v (the way sampling moves, towards the data), over points.
import type {Layer, Plane, PointsLayer} from "./plane.js";
import type {Points} from "../math/types.js";

/** Data units per unit of velocity: an arrow of the field at τ = 1 a little over one grid cell long. */
const SCALE = 0.12;

/** One field to draw: v [n, 2] at the shared points, its colour and line width. */
export interface FieldArrows {
  velocity: Float64Array;
  color: string;
  width?: number;
}

/**
 * Draws `fields` (in order, each over the last) as arrows from `points` [n, 2] along −v, all on one
 * scale so their lengths compare, over an optional points layer (where the paths are at this τ).
 */
export function drawFlowFields(plane: Plane, points: Points, fields: readonly FieldArrows[], under?: PointsLayer): void {
  const layers: Layer[] = under ? [under] : [];
  for (const {velocity, color, width = 1} of fields) layers.push({from: points, vectors: velocity.map((c) => -c), scale: SCALE, color, width});
  plane.draw(layers);
}
