// Regular grids over squares of the plane, for densities and arrow fields (no DOM).
import {logDensityAt, type Mixture} from "./mixture.js";
import type {Points} from "./types.js";

/** Centres of a k×k grid of cells over [cx − half, cx + half] × [cy − half, cy + half], [k², 2], row by row from the top down. */
export function windowPoints(k: number, half: number, [cx, cy]: readonly [number, number] = [0, 0]): Points {
  const out = new Float64Array(2 * k * k), h = (2 * half) / k;
  for (let r = 0; r < k; ++r) {
    for (let c = 0; c < k; ++c) {
      out[2 * (r * k + c)] = cx - half + (c + 0.5) * h;
      out[2 * (r * k + c) + 1] = cy + half - (r + 0.5) * h;
    }
  }
  return out;
}

/** Centres of a k×k grid of cells over [−extent, extent]², [k², 2], row by row from the top (y = +extent) down. */
export function gridPoints(k: number, extent: number): Points {
  return windowPoints(k, extent);
}

/** q(x) of a mixture at each cell centre of a k×k grid over a window: [k, k] row-major, row 0 at the top. */
export function densityWindow(m: Mixture, k: number, half: number, center: readonly [number, number]): Float64Array {
  return logDensityAt(m, windowPoints(k, half, center)).map(Math.exp);
}

/** q(x) of a mixture at each cell centre of a k×k grid over [−extent, extent]²: [k, k] row-major, row 0 at the top. */
export function densityGrid(m: Mixture, k: number, extent: number): Float64Array {
  return densityWindow(m, k, extent, [0, 0]);
}
