// How the latent-diffusion chapter scores generated images: prompt accuracy per attribute (does the
// classifier read what the prompt asked for?), and diversity within a prompt (are the images
// different from each other, as real images of one caption are, or has the model collapsed?).
import {ATTRIBUTES, IMAGE_SIZE, type AttributeName, type Attributes} from "./toy-images.js";

/** Hits and trials per attribute, and for all four at once. */
export interface AccuracyCounts {
  hits: Record<AttributeName | "all", number>;
  trials: Record<AttributeName | "all", number>;
}

/** Empty counts. */
export function accuracyCounts(): AccuracyCounts {
  const zero = () => ({size: 0, colour: 0, shape: 0, position: 0, all: 0});
  return {hits: zero(), trials: zero()};
}

/**
 * Adds the images whose attributes were read as `got` for a prompt that asked for `asked` (an
 * attribute the prompt left open is not scored; "all" counts images where every asked one matches).
 */
export function addAccuracy(counts: AccuracyCounts, asked: Partial<Attributes>, got: readonly Attributes[]): AccuracyCounts {
  const names = ATTRIBUTES.map((a) => a.name).filter((name) => asked[name] !== undefined);
  for (const g of got) {
    let all = true;
    for (const name of names) {
      const hit = g[name] === asked[name];
      counts.hits[name] += hit ? 1 : 0;
      counts.trials[name] += 1;
      all &&= hit;
    }
    counts.hits.all += all ? 1 : 0;
    counts.trials.all += 1;
  }
  return counts;
}

/** Accuracy per attribute and for all at once (NaN where nothing was scored). */
export function accuracy(counts: AccuracyCounts): Record<AttributeName | "all", number> {
  const out = {} as Record<AttributeName | "all", number>;
  for (const key of Object.keys(counts.hits) as (AttributeName | "all")[]) out[key] = counts.hits[key] / counts.trials[key];
  return out;
}

/**
 * The prompt accuracy of the chapter: the mean over the four attributes of the per-attribute
 * accuracy (each attribute weighs the same, whatever its number of values).
 */
export function meanAttributeAccuracy(counts: AccuracyCounts): number {
  const a = accuracy(counts);
  return ATTRIBUTES.reduce((s, attr) => s + a[attr.name], 0) / ATTRIBUTES.length;
}

/**
 * Mean pairwise root-mean-square distance between n images [n, IMAGE_SIZE] (values on [0, 1]):
 * 0 when all images are identical. Compare with the same for real images of the same caption.
 */
export function diversity(pixels: ArrayLike<number>): number {
  const n = Math.floor(pixels.length / IMAGE_SIZE);
  if (n < 2) return NaN;
  let sum = 0, pairs = 0;
  for (let i = 0; i < n; ++i) {
    for (let j = i + 1; j < n; ++j) {
      let s = 0;
      for (let k = 0; k < IMAGE_SIZE; ++k) {
        const d = pixels[i * IMAGE_SIZE + k] - pixels[j * IMAGE_SIZE + k];
        s += d * d;
      }
      sum += Math.sqrt(s / IMAGE_SIZE);
      ++pairs;
    }
  }
  return sum / pairs;
}

/** Mean squared error between two equally long arrays. */
export function meanSquaredError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`meanSquaredError: lengths ${a.length} and ${b.length} differ`);
  let s = 0;
  for (let i = 0; i < a.length; ++i) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}

/**
 * Prompt accuracy after `steps` training steps of a denoiser: the mean over the four attributes on
 * training and on held-out combinations, and the shape word alone on training combinations.
 */
export interface CurvePoint {
  steps: number;
  train: number;
  heldOut: number;
  shape: number;
}
