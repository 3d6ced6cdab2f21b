// Seeded toy data sets: 2D point clouds for the pages, and 1D data for the space–time heatmap.
// Every 2D set is standardised by a fixed affine map — its mean subtracted and one isotropic scale
// divided out so that √((Var x + Var y)/2) = 1 (the aspect ratio is kept) — computed once from the
// set's definition (in closed form or by quadrature), not from the sample, so samples of any size
// and seed come from one and the same distribution.
import {normalFrom} from "./random.js";
import type {Points, Rng} from "./types.js";

/** The 2D toy data sets; see DATASETS for labels and SPECS below for each definition. */
export type DatasetName = "moons" | "swiss-roll" | "circles" | "ring" | "checkerboard" | "spiral" | "letters";

type Point = [number, number];

interface Spec {
  label: string;
  /** One raw point; `normal` is an N(0, 1) sampler on the same rng. */
  draw: (rng: Rng, normal: () => number) => Point;
  /** The raw distribution's mean and overall scale √((Var x + Var y)/2), from its definition. */
  center: Point;
  scale: number;
}

/**
 * A curve c(u), u ~ U[0, 1), plus isotropic Gaussian noise of standard deviation `noise`.
 * Its mean ∫c and variance ½∫|c − mean|² + noise² come from the midpoint rule on `nodes` points:
 * exact up to O(1/nodes) where the curve jumps between pieces (< 1e-3 here), O(1/nodes²) elsewhere.
 */
function curveSpec(label: string, curve: (u: number) => Point, noise: number, nodes = 16384): Spec {
  let mx = 0, my = 0, sxx = 0;
  for (let i = 0; i < nodes; ++i) {
    const [x, y] = curve((i + 0.5) / nodes);
    mx += x; my += y; sxx += x * x + y * y;
  }
  mx /= nodes; my /= nodes;
  const variance = (sxx / nodes - mx * mx - my * my) / 2 + noise * noise;
  return {
    label,
    draw: (rng, normal) => {
      const [x, y] = curve(rng());
      return [x + noise * normal(), y + noise * normal()];
    },
    center: [mx, my],
    scale: Math.sqrt(variance),
  };
}

/**
 * The 8-Gaussian ring in standardised units: 8 equal-weight isotropic Gaussians of standard
 * deviation `std` centred at radius·(cos 2πk/8, sin 2πk/8). radius²/2 + std² = 1 makes its
 * overall scale exactly 1, so the data set needs no rescaling and mixture.ts can rebuild it exactly.
 */
export const RING = {count: 8, std: 0.1, radius: Math.sqrt(2 * (1 - 0.1 ** 2))} as const;

/** A polyline or circular arc; arcs run from angle a0 to a1 (radians, either direction). */
type Stroke = {kind: "line"; from: Point; to: Point} | {kind: "arc"; center: Point; r: number; a0: number; a1: number};

const strokeLength = (s: Stroke) =>
  s.kind === "line" ? Math.hypot(s.to[0] - s.from[0], s.to[1] - s.from[1]) : s.r * Math.abs(s.a1 - s.a0);

function strokePoint(s: Stroke, f: number): Point {
  if (s.kind === "line") return [s.from[0] + f * (s.to[0] - s.from[0]), s.from[1] + f * (s.to[1] - s.from[1])];
  const a = s.a0 + f * (s.a1 - s.a0);
  return [s.center[0] + s.r * Math.cos(a), s.center[1] + s.r * Math.sin(a)];
}

/** u ∈ [0, 1) ↦ the point at arc length u·L along the strokes (total length L): uniform along the ink. */
function alongStrokes(strokes: Stroke[]): (u: number) => Point {
  const lengths = strokes.map(strokeLength);
  const total = lengths.reduce((a, b) => a + b, 0);
  return (u) => {
    let s = u * total;
    for (let i = 0; i < strokes.length; ++i) {
      if (s < lengths[i] || i === strokes.length - 1) return strokePoint(strokes[i], Math.min(1, s / lengths[i]));
      s -= lengths[i];
    }
    throw new Error("unreachable");
  };
}

/** The letters "DL", 2 units tall: D = stem, two bars and a half-circle bowl; L = stem and foot. */
const LETTERS: Stroke[] = [
  {kind: "line", from: [0, 0], to: [0, 2]},
  {kind: "line", from: [0, 2], to: [0.6, 2]},
  {kind: "arc", center: [0.6, 1], r: 1, a0: Math.PI / 2, a1: -Math.PI / 2},
  {kind: "line", from: [0.6, 0], to: [0, 0]},
  {kind: "line", from: [2.2, 2], to: [2.2, 0]},
  {kind: "line", from: [2.2, 0], to: [3.2, 0]},
];

const SPECS: Record<DatasetName, Spec> = {
  // Two interleaved half circles (the shape of scikit-learn's make_moons), uniform in angle.
  moons: curveSpec("Two moons", (u) => {
    const a = Math.PI * ((2 * u) % 1);
    return u < 0.5 ? [Math.cos(a), Math.sin(a)] : [1 - Math.cos(a), 0.5 - Math.sin(a)];
  }, 0.08),
  // (θ cos θ, θ sin θ) with θ uniform on [1.5π, 4.5π], the 2D swiss roll of scikit-learn.
  "swiss-roll": curveSpec("Swiss roll", (u) => {
    const a = 1.5 * Math.PI * (1 + 2 * u);
    return [a * Math.cos(a), a * Math.sin(a)];
  }, 0.4),
  // Two concentric circles, radii 1 and 0.5, equal mass (make_circles with factor 0.5).
  circles: curveSpec("Concentric circles", (u) => {
    const a = 2 * Math.PI * ((2 * u) % 1), r = u < 0.5 ? 1 : 0.5;
    return [r * Math.cos(a), r * Math.sin(a)];
  }, 0.04),
  ring: curveSpec("8 Gaussians", (u) => {
    const a = (2 * Math.PI * Math.floor(RING.count * u)) / RING.count;
    return [RING.radius * Math.cos(a), RING.radius * Math.sin(a)];
  }, RING.std),
  // Uniform on the 8 dark squares of a 4×4 board over [−2, 2]²: each marginal is U[−2, 2], so the
  // mean is 0 and Var x = Var y = 16/12.
  checkerboard: {
    label: "Checkerboard",
    draw: (rng) => {
      const cell = Math.floor(rng() * 8), row = cell >> 1, col = 2 * (cell & 1) + (row & 1);
      return [col - 2 + rng(), row - 2 + rng()];
    },
    center: [0, 0],
    scale: Math.sqrt(4 / 3),
  },
  // Two arms r = θ, θ = 3π·√v (√ so points spread more evenly along the arm), the second rotated by π.
  spiral: curveSpec("Two-arm spiral", (u) => {
    const a = 3 * Math.PI * Math.sqrt((2 * u) % 1), turn = u < 0.5 ? 0 : Math.PI;
    return [a * Math.cos(a + turn), a * Math.sin(a + turn)];
  }, 0.25),
  letters: curveSpec("Letters “DL”", alongStrokes(LETTERS), 0.04),
};

/** The 2D data sets in display order. */
export const DATASETS: readonly {name: DatasetName; label: string}[] = (Object.keys(SPECS) as DatasetName[]).map(
  (name) => ({name, label: SPECS[name].label}),
);

/** Whether `name` names one of DATASETS. */
export function isDatasetName(name: unknown): name is DatasetName {
  return DATASETS.some((d) => d.name === name);
}

/**
 * n points of a named 2D data set, standardised (exact mean 0, overall scale 1). Deterministic
 * given the rng's state. Returns Points [n, 2] interleaved.
 */
export function sampleDataset(name: DatasetName, n: number, rng: Rng): Points {
  const spec = SPECS[name];
  if (!spec) throw new RangeError(`sampleDataset: unknown data set ${String(name)}`);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`sampleDataset: n must be a non-negative integer, got ${n}`);
  const out = new Float64Array(2 * n), normal = normalFrom(rng);
  const [cx, cy] = spec.center, k = 1 / spec.scale;
  for (let i = 0; i < n; ++i) {
    const [x, y] = spec.draw(rng, normal);
    out[2 * i] = (x - cx) * k;
    out[2 * i + 1] = (y - cy) * k;
  }
  return out;
}

/** The 1D data sets for the space–time heatmap. */
export type Dataset1DName = "bimodal" | "trimodal" | "uniform";

/** The 1D data sets in display order. */
export const DATASETS_1D: readonly {name: Dataset1DName; label: string}[] = [
  {name: "bimodal", label: "Two modes"},
  {name: "trimodal", label: "Three modes"},
  {name: "uniform", label: "Uniform interval"},
];

/**
 * The 1D Gaussian mixtures (the shape of mixture.ts's Mixture1D), so a page can draw their exact
 * noised density with density1D.
 * bimodal: ½N(−1, 0.25²) + ½N(1, 0.25²), variance 1.0625.
 * trimodal: 0.3N(−1.25, 0.2²) + 0.4N(0, 0.2²) + 0.3N(1.25, 0.2²), variance 0.9775.
 */
export const MIXTURES_1D: Record<"bimodal" | "trimodal", {weights: number[]; means: number[]; vars: number[]}> = {
  bimodal: {weights: [0.5, 0.5], means: [-1, 1], vars: [0.0625, 0.0625]},
  trimodal: {weights: [0.3, 0.4, 0.3], means: [-1.25, 0, 1.25], vars: [0.04, 0.04, 0.04]},
};

/** The uniform 1D data set: U[−√3, √3], mean 0 and variance 1. */
export const UNIFORM_1D = {low: -Math.sqrt(3), high: Math.sqrt(3)} as const;

/** n draws of a named 1D data set (see MIXTURES_1D and UNIFORM_1D). Returns [n]. */
export function sample1D(name: Dataset1DName, n: number, rng: Rng): Float64Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`sample1D: n must be a non-negative integer, got ${n}`);
  const out = new Float64Array(n);
  if (name === "uniform") {
    const {low, high} = UNIFORM_1D;
    for (let i = 0; i < n; ++i) out[i] = low + (high - low) * rng();
    return out;
  }
  const m = MIXTURES_1D[name];
  if (!m) throw new RangeError(`sample1D: unknown data set ${String(name)}`);
  const normal = normalFrom(rng);
  for (let i = 0; i < n; ++i) {
    let u = rng(), k = 0;
    while (k < m.weights.length - 1 && u >= m.weights[k]) u -= m.weights[k++];
    out[i] = m.means[k] + Math.sqrt(m.vars[k]) * normal();
  }
  return out;
}
