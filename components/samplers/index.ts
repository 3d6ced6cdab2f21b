// Every sampler behind one table, so a page can offer a menu, race them on one seed, or plot quality
// against evaluations without knowing each one's options.

import type {Denoiser} from "../math/types.js";
import type {Schedule} from "../math/schedules.js";
import type {SampleResult, SamplerSteps, Start} from "./common.js";
import {ddpmRule, ddpmSteps, type DdpmOptions} from "./ddpm.js";
import {ddimRule, ddimSteps, type DdimOptions} from "./ddim.js";
import {eulerSteps, heunSteps, odeProgram, type OdeOptions} from "./ode.js";
import {dpmSolverPPProgram, dpmSolverPPSteps} from "./dpm-solver.js";
import {annealedLangevinProgram, annealedLangevinSteps, langevinProgram, langevinSteps, scoreFromDenoiser, type AnnealedLangevinOptions, type LangevinOptions} from "./langevin.js";
import {collect} from "./common.js";
import {gridPlan, gridProgram} from "./grid.js";
import type {SamplerProgram} from "./program.js";

export * from "./common.js";
export * from "./timesteps.js";
export * from "./grid.js";
export * from "./ddpm.js";
export * from "./ddim.js";
export * from "./ode.js";
export * from "./dpm-solver.js";
export * from "./langevin.js";
export * from "./program.js";

/** The union of every sampler's options; each sampler reads the ones it knows. */
export type AnySamplerOptions = DdpmOptions &
  DdimOptions &
  OdeOptions &
  Omit<LangevinOptions, "delta"> &
  Omit<AnnealedLangevinOptions, "delta"> & {delta?: number};

/** Table keys. */
export type SamplerName = "ddpm" | "ddim" | "euler" | "heun" | "dpm-solver++" | "langevin" | "annealed-langevin";

/** One row of {@link SAMPLERS}. */
export interface SamplerEntry {
  name: SamplerName;
  /** Human-readable name for menus and legends. */
  label: string;
  /** Paper the update rule comes from. */
  cite: string;
  /** A step count that gives good samples with an exact denoiser on the site's 2D data. */
  defaultSteps: number;
  /** Whether the sampler draws fresh noise along the way (so a seed, not just x_T, fixes the result). */
  stochastic: boolean;
  /** Denoiser evaluations spent by `steps` steps. */
  nfe(steps: number): number;
  /** The step-by-step form (see {@link SamplerSteps}). */
  steps(denoiser: Denoiser, schedule: Schedule, xT: Start, options: AnySamplerOptions): SamplerSteps;
  /**
   * The whole run for these options as data (the evaluations and the affine update after each), so
   * a loop beside a trained network (model/device-sampler.ts) runs it without a round trip to JS per
   * evaluation; `runProgram` of it yields the same states as `steps`, with the same noise draws.
   */
  program(schedule: Schedule, options: AnySamplerOptions): SamplerProgram;
  /** Run to the end: {x, nfe, trajectory?}. */
  run(denoiser: Denoiser, schedule: Schedule, xT: Start, options: AnySamplerOptions): Promise<SampleResult>;
}

/**
 * Plain Langevin's δ when options carry none. At t = 0 a mode of std s relaxes in ~s²/δ steps and
 * ULA inflates its variance by ~δ/(4s²): for the site's narrowest modes (s = 0.1) that is 10 steps
 * and 2.5%.
 */
export const DEFAULT_LANGEVIN_DELTA = 1e-3;

/**
 * Annealed Langevin's δ when options carry none: Song & Ermon 2019's ε = 2·10⁻⁵ (their experiments, §5), which with
 * σ_L² = 1−ᾱ_0 = 10⁻⁴ (linear schedule) makes the first level's step α_1 ≈ 0.2 on a near-N(0, I) q_t.
 */
export const DEFAULT_ANNEALED_DELTA = 2e-5;

function entry(e: Omit<SamplerEntry, "run">): SamplerEntry {
  return {...e, run: async (den, sch, xT, opt) => collect(e.steps(den, sch, xT, opt), opt.trajectory)};
}

const same = (steps: number) => steps;

/** All samplers, in the order a page lists them. */
export const SAMPLERS: readonly SamplerEntry[] = [
  entry({
    name: "ddpm",
    label: "DDPM (ancestral)",
    cite: "Ho, Jain & Abbeel 2020, Alg. 2",
    defaultSteps: 1000,
    stochastic: true,
    nfe: same,
    steps: ddpmSteps,
    program: (sch, opt) => gridProgram(gridPlan(sch, opt, ddpmRule(opt.variance ?? "betaTilde")))
  }),
  entry({
    name: "ddim",
    label: "DDIM",
    cite: "Song, Meng & Ermon 2021, eq. 12",
    defaultSteps: 50,
    stochastic: false,
    nfe: same,
    steps: ddimSteps,
    program: (sch, opt) => gridProgram(gridPlan(sch, opt, ddimRule(opt.eta ?? 0)))
  }),
  entry({
    name: "euler",
    label: "Probability-flow ODE, Euler",
    cite: "Karras, Aittala, Aila & Laine 2022, Alg. 1",
    defaultSteps: 50,
    stochastic: false,
    nfe: same,
    steps: eulerSteps,
    program: (sch, opt) => odeProgram(sch, opt, 1)
  }),
  entry({
    name: "heun",
    label: "Probability-flow ODE, Heun",
    cite: "Karras, Aittala, Aila & Laine 2022, Alg. 1",
    defaultSteps: 18,
    stochastic: false,
    nfe: (steps) => 2 * steps - 1,
    steps: heunSteps,
    program: (sch, opt) => odeProgram(sch, opt, 2)
  }),
  entry({
    name: "dpm-solver++",
    label: "DPM-Solver++(2M)",
    cite: "Lu, Zhou, Bao, Chen, Li & Zhu 2022, Alg. 2",
    defaultSteps: 20,
    stochastic: false,
    nfe: same,
    steps: dpmSolverPPSteps,
    program: dpmSolverPPProgram
  }),
  entry({
    name: "langevin",
    label: "Langevin dynamics",
    cite: "Song & Ermon 2019, eq. 4",
    defaultSteps: 1000,
    stochastic: true,
    nfe: same,
    steps: (den, sch, xT, opt) =>
      langevinSteps(scoreFromDenoiser(den, sch), sch, xT, {...opt, delta: opt.delta ?? DEFAULT_LANGEVIN_DELTA}),
    program: (sch, opt) => langevinProgram(sch, {...opt, delta: opt.delta ?? DEFAULT_LANGEVIN_DELTA})
  }),
  entry({
    name: "annealed-langevin",
    label: "Annealed Langevin dynamics",
    cite: "Song & Ermon 2019, Alg. 1",
    defaultSteps: 1000,
    stochastic: true,
    nfe: same,
    steps: (den, sch, xT, opt) =>
      annealedLangevinSteps(scoreFromDenoiser(den, sch), sch, xT, {...opt, delta: opt.delta ?? DEFAULT_ANNEALED_DELTA}),
    program: (sch, opt) => annealedLangevinProgram(sch, {...opt, delta: opt.delta ?? DEFAULT_ANNEALED_DELTA})
  })
];

/** The row called `name`, or a clear error. */
export function samplerByName(name: string): SamplerEntry {
  const e = SAMPLERS.find((s) => s.name === name);
  if (!e) throw new Error(`unknown sampler "${name}"; known: ${SAMPLERS.map((s) => s.name).join(", ")}`);
  return e;
}
