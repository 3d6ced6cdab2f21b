// What guidance buys and what it costs, as numbers: how many samples land in the class they asked
// for, how spread out they are compared with the class itself, and how many lie where the class's
// data almost never does.
import {classify} from "./classifier.js";
import {logDensityAt, sampleMixture, type Mixture} from "./mixture.js";
import {classMixture, type LabelledMixture} from "./labelled.js";
import {rngFromSeed} from "./random.js";
import type {Points, Rng} from "./types.js";

/** Fraction of the points [n, 2] whose most probable class (classify, on clean data) is each class: [C], summing to 1. */
export function classShares(lm: LabelledMixture, points: Points): Float64Array {
  const labels = classify(lm, points), shares = new Float64Array(lm.classes.length);
  for (const c of labels) shares[c]++;
  return shares.map((k) => k / labels.length);
}

/** ψ(n) for a positive integer n: −γ + Σ_{j<n} 1/j (the digamma function). */
function digamma(n: number): number {
  let s = -0.5772156649015329;
  for (let j = 1; j < n; ++j) s += 1 / j;
  return s;
}

/**
 * Differential entropy of 2D points by the Kozachenko–Leonenko k-nearest-neighbour estimator
 * (Kozachenko & Leonenko 1987; in the form of Kraskov, Stögbauer & Grassberger 2004, eq. 20 with
 * radii): Ĥ = ψ(n) − ψ(k) + log π + (2/n)·Σ_i log r_i, r_i the distance from point i to its k-th
 * nearest neighbour. Exact neighbours by brute force, O(n²): ~10 ms for 2,000 points.
 * Coincident points (r_i = 0) are moved to a tiny distance so the log stays finite. points: [n, 2], n > k.
 */
export function entropyKL(points: Points, k = 4): number {
  const n = points.length / 2;
  if (!(Number.isInteger(k) && k >= 1 && n > k)) throw new RangeError(`entropyKL: need more than k = ${k} points, got ${n}`);
  const best = new Float64Array(k); // the k smallest squared distances so far, ascending
  let sum = 0;
  for (let i = 0; i < n; ++i) {
    best.fill(Infinity);
    const xi = points[2 * i], yi = points[2 * i + 1];
    for (let j = 0; j < n; ++j) {
      if (j === i) continue;
      const dx = points[2 * j] - xi, dy = points[2 * j + 1] - yi, d = dx * dx + dy * dy;
      if (d >= best[k - 1]) continue;
      let m = k - 1;
      while (m > 0 && best[m - 1] > d) best[m] = best[--m];
      best[m] = d;
    }
    sum += 0.5 * Math.log(Math.max(best[k - 1], 1e-24));
  }
  return digamma(n) - digamma(k) + Math.log(Math.PI) + (2 / n) * sum;
}

/**
 * How spread out the samples are against a reference sample of the class: exp((Ĥ(samples) − Ĥ(reference))/2),
 * the ratio of "effective widths" (for a Gaussian scaled by a it is a). Entropy ignores where the
 * points sit, so a shifted but equally wide cloud scores 1, and it needs no notion of modes, so it
 * works for one mode, several, or a moon. Both sets should have the same size: the estimator's bias
 * depends on n and then cancels. samples, reference: [n, 2].
 */
export function spreadRatio(samples: Points, reference: Points, k = 4): number {
  return Math.exp((entropyKL(samples, k) - entropyKL(reference, k)) / 2);
}

/**
 * The log-density level of `m`'s highest-density region holding `mass` of its probability: the
 * (1 − mass)-quantile of log p(x) over n draws of x ~ p, by Monte Carlo (the standard error of the
 * region's mass is √(mass(1−mass)/n), 0.0007 at mass 0.99 and n = 20,000).
 */
export function hdrLevel(m: Mixture, mass: number, rng: Rng, n = 20_000): number {
  if (!(mass > 0 && mass < 1)) throw new RangeError(`hdrLevel: mass must be in (0, 1), got ${mass}`);
  const logs = logDensityAt(m, sampleMixture(m, n, rng)).sort();
  return logs[Math.floor((1 - mass) * n)];
}

/** Fraction of the points [n, 2] where log p(x) under `m` is below `level` (outside the region hdrLevel describes). */
export function fractionBelow(m: Mixture, points: Points, level: number): number {
  const logs = logDensityAt(m, points);
  let k = 0;
  for (const v of logs) if (v < level) ++k;
  return logs.length ? k / logs.length : 0;
}

/** What a class's samples are measured against: a reference draw of the class, and its 99% region's level. */
export interface ClassYardstick {
  /** n draws of p(x | c), [n, 2]: spreadRatio's reference (use the samples' own n). */
  reference: Points;
  /** hdrLevel of p(x | c) at mass 0.99: log-density below it is "past the data". */
  level: number;
}

/** The yardstick of class c: `n` reference draws from seed, and the 99% level from seed + 1 (20,000 draws). */
export function classYardstick(lm: LabelledMixture, c: number, n: number, seed: number): ClassYardstick {
  const m = classMixture(lm, c);
  return {reference: sampleMixture(m, n, rngFromSeed(seed)), level: hdrLevel(m, 0.99, rngFromSeed(seed + 1))};
}

/** How samples meant for class c came out. */
export interface ClassMeasure {
  /** Fraction of samples classified as each class (classShares): [C]. shares[c] is the in-class fraction. */
  shares: Float64Array;
  /** spreadRatio of the samples classified as c against the yardstick's reference (NaN with fewer than 10 of them). */
  spread: number;
  /** Fraction of all samples outside class c's 99% region (fractionBelow at the yardstick's level). */
  outside: number;
}

/** classShares, spreadRatio (of the in-class samples) and the fraction past class c's data, in one pass. x: [n, 2]. */
export function measureClass(lm: LabelledMixture, c: number, x: Points, yardstick: ClassYardstick): ClassMeasure {
  const labels = classify(lm, x), shares = new Float64Array(lm.classes.length), inside: number[] = [];
  labels.forEach((label, i) => {
    shares[label]++;
    if (label === c) inside.push(x[2 * i], x[2 * i + 1]);
  });
  for (let k = 0; k < shares.length; ++k) shares[k] /= labels.length;
  const spread = inside.length >= 20 ? spreadRatio(Float64Array.from(inside), yardstick.reference) : NaN;
  return {shares, spread, outside: fractionBelow(classMixture(lm, c), x, yardstick.level)};
}

/** Mean Euclidean distance between matched points: how far an edit moved each point. a, b: [n, 2]. */
export function meanDistance(a: Points, b: Points): number {
  if (a.length !== b.length || a.length % 2) throw new RangeError(`meanDistance: sizes ${a.length} and ${b.length} do not match as [n, 2]`);
  let s = 0;
  for (let i = 0; i < a.length; i += 2) s += Math.hypot(a[i] - b[i], a[i + 1] - b[i + 1]);
  return a.length ? s / (a.length / 2) : 0;
}
