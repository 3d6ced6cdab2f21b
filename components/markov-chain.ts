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
 * ε for (step s, coordinate j) of a chain with this seed: a counter-based N(0, 1) draw
 * (hashed uniforms through Box–Muller), so any point's noise at any step is found directly —
 * one point's walk costs O(k), not a replay of the whole cloud.
 */
function noise(seed: number, s: number, j: number): number {
  const h = mix32(mix32(seed ^ 0x9e3779b9) ^ mix32(s + 0x632be5ab) ^ Math.imul(j, 0x85ebca6b));
  const u1 = (mix32(h) + 1) / 4294967297; // (0, 1): log is finite
  const u2 = mix32(h ^ 0x27d4eb2f) / 4294967296;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
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
