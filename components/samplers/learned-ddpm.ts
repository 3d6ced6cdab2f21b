// DDPM with a learned reverse variance (Nichol & Dhariwal 2021, "Improved DDPM"): each step's σ² is
// read per point and per coordinate from the network's ν, between the step's log β and log β̃.
import type {Denoiser, Points} from "../math/types.js";
import type {Schedule} from "../math/schedules.js";
import {fillNormal} from "../math/random.js";
import {learnedVariance} from "../math/learned-variance.js";
import {alphaBarOf, needRng, predictX0, sigmaOf, startPoints, type SamplerSteps, type Start} from "./common.js";
import {gridTimesteps, type GridOptions} from "./grid.js";
import {ddpmCoefficients} from "./ddpm.js";

/** A Denoiser that also reports ν, where between log β and log β̃ each coordinate's reverse variance lies. */
export interface VarianceDenoiser extends Denoiser {
  /** ε̂ and ν for n points xt ([n, d]) at timestep t (fractional allowed): both [n, d], one network evaluation. */
  epsAndNu(xt: Float64Array, t: number): Promise<{eps: Float64Array; nu: Float64Array}>;
}

/**
 * DDPM ancestral sampling (Ho et al. 2020, Alg. 2) on the grid of `ddpmSteps`, with the variance of
 * each coordinate Σθ = exp(ν·log β + (1−ν)·log β̃) of that step (math/learned-variance.ts
 * `learnedVariance`): on a coarser grid ν is applied to the β and β̃ of the whole stride, as Nichol &
 * Dhariwal do for respaced sampling. The last step returns x̂0 with no noise. One evaluation per step.
 */
export function learnedDdpmSteps(denoiser: VarianceDenoiser, schedule: Schedule, xT: Start, options: GridOptions): SamplerSteps {
  const ts = gridTimesteps(schedule, options);
  const abs = [...ts.map((t) => alphaBarOf(schedule, t)), 1];
  const rng = needRng(options.rng, "DDPM with a learned variance");
  const start = startPoints(xT, denoiser.d, options.rng);
  return (async function* walk(): SamplerSteps {
    let x = start, nfe = 0;
    const steps = ts.length;
    yield {i: 0, steps, t: ts[0], sigma: sigmaOf(abs[0]), x, x0: null, nfe};
    for (let i = 0; i < steps; i++) {
      const {eps, nu} = await denoiser.epsAndNu(x, ts[i]);
      nfe++;
      const x0 = predictX0(x, eps, abs[i]), c = ddpmCoefficients(abs[i], abs[i + 1], "betaTilde"), last = i + 1 === steps;
      const z = last ? null : fillNormal(new Float64Array(x.length), rng);
      const next = new Float64Array(x.length);
      for (let k = 0; k < x.length; k++) {
        next[k] = c.x0 * x0[k] + c.eps * eps[k] + (z ? Math.sqrt(learnedVariance(nu[k], abs[i], abs[i + 1])) * z[k] : 0);
      }
      x = next;
      yield {i: i + 1, steps, t: last ? -1 : ts[i + 1], sigma: last ? 0 : sigmaOf(abs[i + 1]), x, x0, nfe};
    }
  })();
}

/**
 * The learned σ² of the step ᾱ_t → ᾱ_s averaged over noisy points and coordinates,
 * E_{x_t}[mean_j Σθ,j(x_t)], for the given x_t ([n, d], e.g. data noised to ᾱ_t), with ν read at the
 * network's own timestep tModel of the same noise level: the number the chapter sets beside
 * Analytic-DPM's σ*², which is the same average of the exact step's variance.
 */
export async function meanLearnedVariance(denoiser: VarianceDenoiser, tModel: number, alphaBarT: number, alphaBarS: number, xt: Points): Promise<number> {
  const {nu} = await denoiser.epsAndNu(xt, tModel);
  let sum = 0;
  for (const v of nu) sum += learnedVariance(v, alphaBarT, alphaBarS);
  return sum / nu.length;
}
