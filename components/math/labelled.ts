// Class-labelled data: a Gaussian mixture whose components each carry a class, so that the class
// conditionals p(x | c), the class prior p(c) and, after noising, the classifier p(c | x_t) are all
// exact (classifier.ts). The guidance chapter conditions on these classes.
import {RING} from "./datasets.js";
import {normalFrom} from "./random.js";
import type {Mixture} from "./mixture.js";
import type {Points, Rng} from "./types.js";

/** One class: what a page calls it, and which colour of the class palette it is drawn in. */
export interface ClassInfo {
  label: string;
  /** Index into the class palette (views/class-colors.ts), kept with the class so a drawn class keeps its ink. */
  color: number;
}

/**
 * A mixture p(x) = Σ_k w_k N(x; μ_k, Σ_k) with a class for every component: labels[k] ∈ 0…C−1,
 * C = classes.length. Class c owns the components labelled c, so p(x | c) ∝ Σ_{k: labels[k]=c} w_k N_k(x)
 * and p(c) = Σ_{k: labels[k]=c} w_k / Σ_k w_k. Every class owns at least one component of positive weight.
 */
export interface LabelledMixture {
  mixture: Mixture;
  labels: number[];
  classes: ClassInfo[];
}

/** Throws a RangeError unless every component has a valid class and every class has positive weight. */
export function checkLabelled(lm: LabelledMixture): void {
  const K = lm.mixture.weights.length, C = lm.classes.length;
  if (lm.labels.length !== K) throw new RangeError(`labelled mixture: ${lm.labels.length} labels for ${K} components`);
  const mass = new Float64Array(C);
  lm.labels.forEach((c, k) => {
    if (!(Number.isInteger(c) && c >= 0 && c < C)) throw new RangeError(`labelled mixture: component ${k} has class ${c}, not in 0…${C - 1}`);
    mass[c] += lm.mixture.weights[k];
  });
  mass.forEach((m, c) => {
    if (!(m > 0)) throw new RangeError(`labelled mixture: class ${c} (${lm.classes[c].label}) has no weight`);
  });
}

/** Throws a RangeError unless c is a class of lm. */
export function checkClass(lm: LabelledMixture, c: number): void {
  if (!(Number.isInteger(c) && c >= 0 && c < lm.classes.length)) {
    throw new RangeError(`class must be an integer in 0…${lm.classes.length - 1}, got ${c}`);
  }
}

/** p(c) = Σ_{k∈c} w_k / Σ_k w_k for every class: [C]. */
export function classPrior(lm: LabelledMixture): Float64Array {
  const prior = new Float64Array(lm.classes.length);
  const total = lm.mixture.weights.reduce((a, b) => a + b, 0);
  lm.labels.forEach((c, k) => (prior[c] += lm.mixture.weights[k] / total));
  return prior;
}

/** p(x | c): the components of class c with their weights (the mixture normalises them). */
export function classMixture(lm: LabelledMixture, c: number): Mixture {
  checkClass(lm, c);
  const keep = lm.labels.flatMap((label, k) => (label === c ? [k] : []));
  return {
    weights: keep.map((k) => lm.mixture.weights[k]),
    means: keep.map((k) => lm.mixture.means[k]),
    covs: keep.map((k) => lm.mixture.covs[k]),
  };
}

/**
 * n draws (x, c) from the labelled mixture: a component k with probability w_k, its class labels[k],
 * then x = μ_k + L_k z with L_k L_kᵀ = Σ_k (Cholesky). points: [n, 2]; labels: [n].
 */
export function sampleLabelled(lm: LabelledMixture, n: number, rng: Rng): {points: Points; labels: Int32Array} {
  checkLabelled(lm);
  const {weights, means, covs} = lm.mixture, total = weights.reduce((a, b) => a + b, 0), normal = normalFrom(rng);
  const points = new Float64Array(2 * n), labels = new Int32Array(n);
  for (let i = 0; i < n; ++i) {
    let u = rng() * total, k = 0;
    while (k < weights.length - 1 && u >= weights[k]) u -= weights[k++];
    const [sxx, sxy, syy] = covs[k], a = Math.sqrt(sxx), b = sxy / a, c = Math.sqrt(syy - b * b);
    const z1 = normal(), z2 = normal();
    points[2 * i] = means[k][0] + a * z1;
    points[2 * i + 1] = means[k][1] + b * z1 + c * z2;
    labels[i] = lm.labels[k];
  }
  return {points, labels};
}

/** The ready-made labelled sets. */
export type LabelledName = "ring-modes" | "ring-axes" | "moons";

const COMPASS = ["east", "north-east", "north", "north-west", "west", "south-west", "south", "south-east"];

/** The 8-Gaussian ring exactly as datasets.ts draws it (and mixture.ts's "ring"): radius √1.98, std 0.1. */
function ring(): Mixture {
  return {
    weights: new Array(RING.count).fill(1 / RING.count),
    means: Array.from({length: RING.count}, (_, k): [number, number] => {
      const a = (2 * Math.PI * k) / RING.count;
      return [RING.radius * Math.cos(a), RING.radius * Math.sin(a)];
    }),
    covs: Array.from({length: RING.count}, (): [number, number, number] => [RING.std ** 2, 0, RING.std ** 2]),
  };
}

/**
 * Two moons as a mixture, so that its noised scores and classifier are exact: each half circle of the
 * site's two-moons set (datasets.ts: (cos a, sin a) and (1 − cos a, ½ − sin a), a ∈ [0, π), isotropic
 * noise 0.08) is replaced by `perMoon` equal Gaussians of std 0.08 centred at angles π(j + ½)/perMoon,
 * then standardised by the set's exact affine map: mean (½, ¼) and scale
 * √((13/8 − 1/π − 5/16)/2 + 0.08²) (the curve's second moment 13/8 − 1/π less the squared mean, halved).
 * With 24 per moon the centres are 0.13 apart along the arc, 1.6 noise std: the test suite checks the
 * result against samples of the site's set (sliced Wasserstein within the data-vs-data band).
 */
export function moonsMixture(perMoon = 24, noise = 0.08): LabelledMixture {
  const scale = Math.sqrt((13 / 8 - 1 / Math.PI - 5 / 16) / 2 + noise * noise), s = noise / scale;
  const means: [number, number][] = [], labels: number[] = [];
  for (const moon of [0, 1]) {
    for (let j = 0; j < perMoon; ++j) {
      const a = (Math.PI * (j + 0.5)) / perMoon;
      const [x, y] = moon === 0 ? [Math.cos(a), Math.sin(a)] : [1 - Math.cos(a), 0.5 - Math.sin(a)];
      means.push([(x - 0.5) / scale, (y - 0.25) / scale]);
      labels.push(moon);
    }
  }
  return {
    mixture: {weights: new Array(2 * perMoon).fill(1), means, covs: means.map((): [number, number, number] => [s * s, 0, s * s])},
    labels,
    classes: [{label: "upper moon", color: 0}, {label: "lower moon", color: 1}],
  };
}

/**
 * Ready-made labelled sets, in display order.
 * ring-modes: the 8 Gaussians, one class per mode (named by compass direction, east = mode 0).
 * ring-axes: the same 8 Gaussians in two classes of four modes: those on the axes and those on the diagonals.
 * moons: two moons, one class per moon (moonsMixture).
 */
export const LABELLED: readonly {name: LabelledName; label: string; make: () => LabelledMixture}[] = [
  {
    name: "ring-modes", label: "8 Gaussians, a class per mode",
    make: () => ({mixture: ring(), labels: [0, 1, 2, 3, 4, 5, 6, 7], classes: COMPASS.map((label, color) => ({label, color}))}),
  },
  {
    name: "ring-axes", label: "8 Gaussians, axes vs diagonals",
    make: () => ({mixture: ring(), labels: [0, 1, 0, 1, 0, 1, 0, 1], classes: [{label: "on the axes", color: 0}, {label: "on the diagonals", color: 1}]}),
  },
  {name: "moons", label: "Two moons, a class per moon", make: () => moonsMixture()},
];

/** The ready-made labelled set called `name` (a fresh copy). */
export function labelledByName(name: LabelledName): LabelledMixture {
  const found = LABELLED.find((l) => l.name === name);
  if (!found) throw new RangeError(`labelledByName: unknown labelled set ${String(name)}`);
  return found.make();
}

/** Options for {@link labelledFromDrawing}. */
export interface DrawingOptions {
  /** Std of the Gaussian put on each kept point (default 0.15: wider than the pad's 0.08 brush, so strokes read as bands). */
  bandwidth?: number;
  /** Most components per colour (default 48): beyond it an evenly strided subset, keeping the cost of a score evaluation bounded. */
  maxPerClass?: number;
  /** Fewest points a colour needs to count as a class (default 20). */
  minPerClass?: number;
  /** Name of each palette colour, for class labels (default "colour k"). */
  colorNames?: readonly string[];
}

/**
 * A drawing in several colours as a labelled mixture: a kernel density estimate with one isotropic
 * Gaussian of std `bandwidth` on each drawn point (at most `maxPerClass` per colour), labelled by its
 * colour. Colours with fewer than `minPerClass` points are left out; the rest become classes in
 * palette order, each keeping its colour. Equal weights per point, so a colour drawn twice as much
 * has twice the prior. points: [n, 2]; colors: [n] palette indices.
 * Throws a RangeError with a reader-facing message when fewer than two colours qualify (drawingProblem says why first).
 */
export function labelledFromDrawing(points: Points, colors: ArrayLike<number>, {bandwidth = 0.15, maxPerClass = 48, minPerClass = 20, colorNames}: DrawingOptions = {}): LabelledMixture {
  const problem = labelledDrawingProblem(points, colors, minPerClass);
  if (problem) throw new RangeError(problem);
  const byColor = new Map<number, number[]>();
  for (let i = 0; i < colors.length; ++i) (byColor.get(colors[i]) ?? byColor.set(colors[i], []).get(colors[i])!).push(i);
  const used = [...byColor.keys()].filter((k) => byColor.get(k)!.length >= minPerClass).sort((a, b) => a - b);
  const v = bandwidth * bandwidth, mixture: Mixture = {weights: [], means: [], covs: []}, labels: number[] = [];
  used.forEach((color, c) => {
    const idx = byColor.get(color)!, keep = Math.min(idx.length, maxPerClass);
    for (let j = 0; j < keep; ++j) {
      const i = idx[Math.floor(((j + 0.5) * idx.length) / keep)];
      mixture.weights.push(idx.length / keep);
      mixture.means.push([points[2 * i], points[2 * i + 1]]);
      mixture.covs.push([v, 0, v]);
      labels.push(c);
    }
  });
  return {mixture, labels, classes: used.map((color) => ({label: colorNames?.[color] ?? `colour ${color + 1}`, color}))};
}

/** Why a coloured drawing cannot be a labelled data set yet, or null when it can: two colours with `min` points each. */
export function labelledDrawingProblem(points: Points, colors: ArrayLike<number>, min = 20): string | null {
  if (points.length !== 2 * colors.length) throw new RangeError(`labelledDrawingProblem: ${points.length / 2} points but ${colors.length} colours`);
  const counts = new Map<number, number>();
  for (let i = 0; i < colors.length; ++i) counts.set(colors[i], (counts.get(colors[i]) ?? 0) + 1);
  const enough = [...counts.values()].filter((n) => n >= min).length;
  if (colors.length === 0) return "The drawing is empty: draw with at least two colours.";
  if (enough < 2) return `Classes need at least two colours with ${min} points or more each; this drawing has ${enough}. Pick another colour and draw a second stroke.`;
  return null;
}
