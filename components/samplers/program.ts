// A sampler written as data: the list of denoiser evaluations it makes, each followed by an affine
// update of its state. Every sampler on the site is such a list once its grid is fixed — DDPM and
// DDIM (x_s = a·x̂0 + b·ε̂ + σ·z), DPM-Solver++(2M) (which also reads the previous step's x̂0), Euler
// and Heun on the probability-flow ODE (Heun keeps its first slope), Langevin dynamics — so one loop
// that keeps the state beside a trained network (on its tfjs backend: model/device-sampler.ts) runs
// them all without a round trip to JS per evaluation. `runProgram` is the same loop in JS; each
// sampler's step generator stays the reference the programs are tested against.

import type {Denoiser, Points, Rng} from "../math/types.js";
import {fillNormal} from "../math/random.js";
import {needRng, startPoints, type SamplerState, type SamplerSteps, type Start} from "./common.js";

/**
 * A linear combination of what a stage can read: the state x, the register p (what an earlier stage
 * kept, e.g. DPM-Solver++'s previous x̂0 or Heun's first slope), the denoiser's ε̂(x, t) and fresh
 * noise z ~ N(0, I). Absent terms are 0.  value = x·x + p·p + eps·ε̂ + z·z, elementwise over [n, d].
 */
export interface Combo {
  x?: number;
  p?: number;
  eps?: number;
  z?: number;
}

/** One denoiser evaluation ε̂ = ε̂(x, t) and what the sampler does with it. */
export interface Stage {
  /** Timestep the denoiser is asked at (fractional on σ grids). */
  t: number;
  /** The new state. Noise is drawn (n·d normals from the rng, in order) only when x.z ≠ 0. */
  x: Combo;
  /** The new register p, from the values before this stage; kept as it was when absent. */
  p?: Combo;
  /** The x̂0 this step reports, from the values before this stage (on the stage that evaluates it). */
  x0?: Combo;
  /** Set on the stage that ends a step: the step's state (t, σ) once x is updated. */
  state?: {t: number; sigma: number};
}

/** A sampler's whole run on a fixed grid: state 0's (t, σ), then every stage in order. */
export interface SamplerProgram {
  start: {t: number; sigma: number};
  stages: Stage[];
  /** Steps (states after the start); a step may span several stages (Heun). */
  steps: number;
  /** The rng is needed along the way (some stage draws noise), not only for x_T. */
  noisy: boolean;
}

/** Builds a program from its stages: counts steps and checks every step ends on a state. */
export function program(start: SamplerProgram["start"], stages: Stage[]): SamplerProgram {
  if (stages.length === 0 || !stages[stages.length - 1].state) throw new Error("a sampler program must end on a state");
  return {start, stages, steps: stages.filter((s) => s.state).length, noisy: stages.some((s) => (s.x.z ?? 0) !== 0)};
}

/** value = c.x·x + c.p·p + c.eps·eps + c.z·z into a fresh array; terms with coefficient 0 are not read. */
export function combine(c: Combo, x: Float64Array, p: Float64Array | null, eps: Float64Array, z: Float64Array | null): Float64Array {
  const out = new Float64Array(x.length);
  const terms: [number, Float64Array | null][] = [[c.x ?? 0, x], [c.p ?? 0, p], [c.eps ?? 0, eps], [c.z ?? 0, z]];
  for (const [k, v] of terms) {
    if (k === 0) continue;
    if (!v) throw new Error("a sampler program read a register it never set");
    for (let j = 0; j < out.length; j++) out[j] += k * v[j];
  }
  return out;
}

/**
 * Runs `prog` with `denoiser` in JS, one evaluation per stage: x_T from `xT` (drawn from `rng` when
 * `{n}`), then each stage's noise from the same rng in stage order, as the samplers' step generators
 * draw it. Yields the same states as the sampler the program was built from, up to float64 rounding.
 */
export function runProgram(denoiser: Denoiser, prog: SamplerProgram, xT: Start, rng?: Rng): SamplerSteps {
  const noise = prog.noisy ? needRng(rng, "a stochastic sampler") : undefined;
  const x = startPoints(xT, denoiser.d, rng);
  return walk(x);

  async function* walk(x: Points): SamplerSteps {
    const {steps} = prog;
    let p: Float64Array | null = null, x0: Points | null = null, i = 0, nfe = 0;
    yield {i, steps, ...prog.start, x, x0: null, nfe};
    for (const stage of prog.stages) {
      const eps = await denoiser.eps(x, stage.t);
      nfe++;
      const z = noise && (stage.x.z ?? 0) !== 0 ? fillNormal(new Float64Array(x.length), noise) : null;
      if (stage.x0) x0 = combine(stage.x0, x, p, eps, null);
      const next = combine(stage.x, x, p, eps, z);
      if (stage.p) p = combine(stage.p, x, p, eps, null);
      x = next;
      if (stage.state) {
        const state: SamplerState = {i: ++i, steps, ...stage.state, x, x0, nfe};
        yield state;
      }
    }
  }
}

/** Tweedie's x̂0 = (x_t − √(1−ᾱ_t)·ε̂)/√ᾱ_t as a {@link Combo} (Ho et al. 2020, eq. 4 solved for x0). */
export function x0Combo(alphaBar: number): Combo {
  const a = Math.sqrt(alphaBar);
  return {x: 1 / a, eps: -Math.sqrt(1 - alphaBar) / a};
}

/** k·c + m·d, term by term. */
export function mix(k: number, c: Combo, m = 0, d: Combo = {}): Combo {
  const term = (key: keyof Combo) => k * (c[key] ?? 0) + m * (d[key] ?? 0);
  return {x: term("x"), p: term("p"), eps: term("eps"), z: term("z")};
}
