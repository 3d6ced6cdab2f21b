// The latent-diffusion chapter's weights file: the EMA weights of its four networks (autoencoder,
// latent denoiser, pixel denoiser, attribute classifier), the latent scale factor, the recipe they
// were trained with and what the build measured of them, as JSON. Weights are stored as IEEE
// half-precision floats in base64: half the bytes of float32, and a relative rounding error of
// ≤ 2⁻¹¹ ≈ 5e-4 per weight, well below what changes a sample. No tfjs: pages may read it.
import type {LatentRecipe} from "./recipe.js";

export const LATENT_FORMAT = "diffusion-lab-latent";
export const LATENT_VERSION = 1;

/** The four networks' names, in file order. */
export const NETWORKS = ["autoencoder", "latent", "pixel", "classifier"] as const;
export type NetworkName = (typeof NETWORKS)[number];

export interface LatentWeights {
  recipe: LatentRecipe;
  /** Stable Diffusion's latent scale factor: 1/std of the latent means (see autoencoder.ts). */
  scale: number;
  /** EMA weights of each network, flat in spec order. */
  weights: Record<NetworkName, Float32Array>;
  /** Training steps each network took. */
  steps: Record<NetworkName, number>;
  /** Numbers the build measured (prompt accuracy, reconstruction error, …), shown by the page. */
  measured?: Record<string, unknown>;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The IEEE 754 binary16 bits nearest to x (round to nearest, ties to even; overflow → ±∞). */
export function toHalf(x: number): number {
  f32[0] = x;
  const bits = u32[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = mant >>> shift, rest = mant & ((1 << shift) - 1), mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && (half & 1)) ? 1 : 0));
  }
  const half = (e << 10) | (mant >>> 13), rest = mant & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (and reaches ∞ past 65504).
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && (half & 1)) ? 1 : 0));
}

/** The number a binary16 bit pattern stands for. */
export function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f, mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** values as little-endian binary16 in base64. */
export function halfBase64(values: Float32Array): string {
  const bytes = new Uint8Array(values.length * 2);
  values.forEach((v, i) => {
    const h = toHalf(v);
    bytes[2 * i] = h & 0xff;
    bytes[2 * i + 1] = h >>> 8;
  });
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Inverse of halfBase64; throws with `what` named on a malformed payload. */
export function fromHalfBase64(text: string, what: string): Float32Array {
  if (typeof text !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4) throw new Error(`${what} is not valid base64.`);
  const binary = atob(text);
  if (binary.length % 2) throw new Error(`${what} is ${binary.length} bytes, not a whole number of half floats.`);
  const out = new Float32Array(binary.length / 2);
  for (let i = 0; i < out.length; ++i) out[i] = fromHalf(binary.charCodeAt(2 * i) | (binary.charCodeAt(2 * i + 1) << 8));
  return out;
}

/** The file's JSON text. */
export function encodeLatentWeights(w: LatentWeights): string {
  return JSON.stringify({
    format: LATENT_FORMAT,
    version: LATENT_VERSION,
    recipe: w.recipe,
    scale: w.scale,
    steps: w.steps,
    measured: w.measured ?? {},
    weights: Object.fromEntries(NETWORKS.map((name) => [name, halfBase64(w.weights[name])])),
  });
}

/**
 * Parses a weights file; `sizes` gives each network's expected number of values (from the recipe's
 * specs). Throws an Error that says what is wrong.
 */
export function parseLatentWeights(text: string, sizes: (recipe: LatentRecipe) => Record<NetworkName, number>): LatentWeights {
  const fail = (why: string): never => { throw new Error(`This is not a latent-diffusion weights file: ${why}`); };
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text);
  } catch (e) {
    return fail(`it is not valid JSON (${(e as Error).message}).`);
  }
  if (!o || typeof o !== "object" || o.format !== LATENT_FORMAT) fail(`it has no "format": "${LATENT_FORMAT}" marker.`);
  if (o.version !== LATENT_VERSION) fail(`its version is ${JSON.stringify(o.version)}; this page reads version ${LATENT_VERSION}.`);
  if (!(typeof o.scale === "number" && o.scale > 0 && Number.isFinite(o.scale))) fail(`its latent scale ${JSON.stringify(o.scale)} is not a positive number.`);
  const recipe = o.recipe as LatentRecipe;
  const expected = sizes(recipe);
  const stored = (o.weights ?? {}) as Record<string, string>;
  const weights = {} as Record<NetworkName, Float32Array>;
  for (const name of NETWORKS) {
    const values = fromHalfBase64(stored[name], `the ${name} weights`);
    if (values.length !== expected[name]) fail(`the ${name} has ${values.length} weights; its recipe needs ${expected[name]}.`);
    if (!values.every(Number.isFinite)) fail(`the ${name} weights hold a non-finite value.`);
    weights[name] = values;
  }
  return {recipe, scale: o.scale as number, weights, steps: o.steps as Record<NetworkName, number>, measured: (o.measured ?? {}) as Record<string, unknown>};
}
