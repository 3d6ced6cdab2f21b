// Seeded random sources. Every random function in the project takes an Rng from here;
// nothing reads Math.random, so a seed reproduces a figure exactly.
import {randomLcg, randomNormal} from "d3-random";
import type {Rng} from "./types.js";

/** Murmur3's 32-bit finaliser (Appleby, 2008): a bijection on uint32 with full avalanche. */
function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A uniform source on [0, 1) from an integer seed: d3's linear congruential generator
 * (`randomLcg`, period 2³²) started from a hashed seed.
 *
 * The hash matters: d3's LCG started from seeds 1 and 2 returns first values that differ
 * by only 1664525/2³² ≈ 4e-4, so nearby seeds would share their first draw. Mixing the seed
 * through murmur3's finaliser makes seeds 1, 2, 3… independent-looking from the first draw.
 *
 * seed: any safe integer (both 32-bit halves are used). Throws RangeError otherwise.
 */
export function rngFromSeed(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`rngFromSeed: seed must be a safe integer, got ${seed}`);
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 0x100000000) >>> 0;
  const state = mix32(lo ^ mix32(hi ^ 0x9e3779b9));
  // randomLcg reads a seed in [0, 1) as state / 2³²; this division is exact.
  return randomLcg(state / 0x100000000);
}

/**
 * A standard normal N(0, 1) sampler drawing its uniforms from `rng`
 * (d3's `randomNormal`, Marsaglia's polar method; Marsaglia & Bray, 1964).
 * The sampler caches the second variate of each pair, so keep one sampler per stream.
 */
export function normalFrom(rng: Rng): () => number {
  return randomNormal.source(rng)(0, 1);
}

/** Fills `out` with i.i.d. N(0, 1) draws from `rng` and returns it. out: any length. */
export function fillNormal(out: Float64Array, rng: Rng): Float64Array {
  const normal = normalFrom(rng);
  for (let i = 0; i < out.length; ++i) out[i] = normal();
  return out;
}
