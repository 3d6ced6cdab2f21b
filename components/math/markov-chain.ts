// The step-by-step forward chain, replayable at any k without storing every step.
import type {Schedule} from "./schedules.js";
import type {Points} from "./types.js";

export interface MarkovChain {
  /** x after k forward steps (k = 0..T; k = 0 is x0). The returned array is reused: copy to keep. */
  at(k: number): Points;
  /** One point's walk: its coordinates after 0..k steps, [(k+1), d]. Matches `at` exactly. */
  walk(index: number, k: number): Float64Array;
}

/** Murmur3's 32-bit finaliser (Appleby 2008), used as a counter-based hash. */
function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * 65,536 standard normal draws, standardised to mean 0 and variance 1 exactly: the chain's noise is
 * read from this table at hashed positions. Log and cosine per draw made the chain the slowest part of
 * a frame (2.9 ms per step at 20,000 points); a table read is a fraction of that, and a draw taking one
 * of 65,536 values is far finer than the plot resolves.
 */
const TABLE = (() => {
  const n = 1 << 16, table = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    // Box–Muller on hashed uniforms in (0, 1).
    const u1 = (mix32(i + 1) + 1) / 4294967297, u2 = mix32(i ^ 0x5bd1e995) / 4294967296, r = Math.sqrt(-2 * Math.log(u1));
    table[i] = r * Math.cos(2 * Math.PI * u2);
    table[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  let mean = 0, sq = 0;
  for (const v of table) mean += v / n;
  for (const v of table) sq += (v - mean) ** 2 / n;
  const scale = 1 / Math.sqrt(sq);
  return table.map((v) => (v - mean) * scale);
})();

/**
 * ε for (step s, coordinate j) of a chain with this seed: a counter-based N(0, 1) draw (a hashed
 * position in TABLE), so any point's noise at any step is found directly — one point's walk costs
 * O(k), not a replay of the whole cloud.
 */
function noise(seed: number, s: number, j: number): number {
  return TABLE[mix32(mix32(seed ^ 0x9e3779b9) ^ mix32(s + 0x632be5ab) ^ Math.imul(j, 0x85ebca6b)) & 0xffff];
}

/**
 * x_k = √(1−β_{k−1})·x_{k−1} + √β_{k−1}·ε_k — the forward Markov chain q(x_t | x_{t−1}) of Ho et al.
 * 2020 (eq. 2), run from x0 ([n, d]) with a checkpoint every `every` steps. Noise is counter-based
 * (seeded by chain, step and coordinate), so scrubbing backwards replays at most `every` steps and
 * the same k always gives the same cloud. `walk` follows one point in float64 without checkpoints,
 * so it agrees with `at` to float32 rounding (~1e-7 relative).
 */
export function markovChain(x0: Points, d: number, schedule: Schedule, seed: number, every = 10): MarkovChain {
  // Float32 checkpoints halve their memory (20,000 points × 100 checkpoints = 16 MB); the chain is
  // re-read from each checkpoint it reaches in either direction, so any k gives one cloud exactly.
  const checkpoints: Float32Array[] = [Float32Array.from(x0)];
  const current = Float64Array.from(x0);
  let k = 0;
  const check = (to: number) => {
    if (!Number.isInteger(to) || to < 0 || to > schedule.T) throw new RangeError(`markovChain: k must be an integer in [0, ${schedule.T}], got ${to}`);
  };
  const step = (x: Float64Array, s: number, offset: number) => {
    const a = Math.sqrt(schedule.alphas[s]), b = Math.sqrt(schedule.betas[s]);
    for (let j = 0; j < x.length; ++j) x[j] = a * x[j] + b * noise(seed, s, offset + j);
  };
  return {
    at(to) {
      check(to);
      if (to < k || to >= k + 2 * every) {
        const c = Math.min(Math.floor(to / every), checkpoints.length - 1);
        current.set(checkpoints[c]);
        k = c * every;
      }
      if (k === 0) current.set(checkpoints[0]);
      for (; k < to; ++k) {
        step(current, k, 0);
        if ((k + 1) % every === 0) {
          const c = (k + 1) / every;
          if (checkpoints.length === c) checkpoints.push(Float32Array.from(current));
          current.set(checkpoints[c]);
        }
      }
      return current;
    },
    walk(index, to) {
      check(to);
      const x = x0.slice(index * d, index * d + d);
      const path = new Float64Array((to + 1) * d);
      path.set(x, 0);
      for (let s = 0; s < to; ++s) {
        step(x, s, index * d);
        path.set(x, (s + 1) * d);
      }
      return path;
    },
  };
}

/**
 * Space–time lines of 1D points' forward walks: for each x0[i], the points (k, x_k) for k = 0..T,
 * [(T+1), 2] each, from markovChain(x0, 1, schedule, seed) (so they match its clouds).
 */
export function walkLines(x0: Float64Array, schedule: Schedule, seed: number): Float64Array[] {
  const chain = markovChain(x0, 1, schedule, seed), T = schedule.T;
  return Array.from(x0, (_, i) => {
    const walk = chain.walk(i, T), line = new Float64Array(2 * (T + 1));
    for (let k = 0; k <= T; ++k) (line[2 * k] = k), (line[2 * k + 1] = walk[k]);
    return line;
  });
}
