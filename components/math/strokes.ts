// Ready-made drawings for the pages that let a reader draw: something to start from, so every demo
// works before the reader has drawn anything (and with the keyboard alone).
import {normalFrom} from "./random.js";
import type {Points, Rng} from "./types.js";

/** n points evenly spaced along the square of side `side` centred on the origin, anticlockwise from (−s/2, −s/2). [n, 2] */
export function squareStroke(n: number, side = 2): Points {
  const h = side / 2, out = new Float64Array(2 * n);
  for (let i = 0; i < n; ++i) {
    const u = (4 * i) / n, edge = Math.floor(u), f = u - edge;
    const [x, y] = [[-h + side * f, -h], [h, -h + side * f], [h - side * f, h], [-h, h - side * f]][edge];
    out[2 * i] = x;
    out[2 * i + 1] = y;
  }
  return out;
}

/**
 * An example drawing in two inks, sprayed as the drawing pad sprays (Gaussian, std `brush`): ink 0 a
 * vertical stroke at x = −1.2 from y = −1.5 to 1.5, ink 1 a circle of radius 0.8 around (0.9, 0).
 * 200 points each. points: [400, 2]; labels: [400].
 */
export function exampleDrawing(rng: Rng, brush = 0.08): {points: Points; labels: Int32Array} {
  const normal = normalFrom(rng), n = 200, points = new Float64Array(4 * n), labels = new Int32Array(2 * n);
  for (let i = 0; i < n; ++i) {
    const a = (2 * Math.PI * i) / n;
    points.set([-1.2 + brush * normal(), -1.5 + (3 * i) / (n - 1) + brush * normal()], 2 * i);
    points.set([0.9 + 0.8 * Math.cos(a) + brush * normal(), 0.8 * Math.sin(a) + brush * normal()], 2 * (n + i));
    labels[n + i] = 1;
  }
  return {points, labels};
}
