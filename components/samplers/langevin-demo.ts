// The Score chapter's Langevin demo: plain and annealed Langevin dynamics on a mixture's exact score,
// from one start, and the largest step sizes at which each chain's updates stay stable.
import {exactDenoiser, type Mixture} from "../math/mixture.js";
import {rngFromSeed} from "../math/random.js";
import {timestepForSigma, type Schedule} from "../math/schedules.js";
import type {SamplerSteps} from "./common.js";
import {alphaBarOf, defaultSigmaMax} from "./common.js";
import {annealedLangevinSteps, annealingTimesteps, langevinSteps, scoreFromDenoiser} from "./langevin.js";

/** Both chains target q_t at this noise level, σ_t = √((1−ᾱ_t)/ᾱ_t); the annealed one ends there. */
export const LANGEVIN_SIGMA = 0.1;
/** Noise levels of the annealed chain (annealedLangevinSteps' default). */
export const LANGEVIN_LEVELS = 10;

/**
 * Plain Langevin on q_t at σ_t = 0.1 and annealed Langevin down to it (Song & Ermon 2019, eq. 4 and
 * Alg. 1), both from the same n standard-normal points (seeded) and with the same number of score
 * evaluations. The score is the mixture's exact one.
 */
export function langevinPair(mixture: Mixture, schedule: Schedule, {steps, delta, n = 1000, seed = 7}: {steps: number; delta: number; n?: number; seed?: number}): {plain: SamplerSteps; annealed: SamplerSteps} {
  const score = scoreFromDenoiser(exactDenoiser(mixture, schedule), schedule);
  const target = timestepForSigma(schedule, LANGEVIN_SIGMA);
  return {
    plain: langevinSteps(score, schedule, {n}, {steps, delta, t: target, rng: rngFromSeed(seed)}),
    annealed: annealedLangevinSteps(score, schedule, {n}, {steps, delta, levels: LANGEVIN_LEVELS, sigmaMin: LANGEVIN_SIGMA, rng: rngFromSeed(seed)}),
  };
}

/** The narrowest variance of the noised mixture's components at ᾱ: min_k λ_min(ᾱΣ_k + (1−ᾱ)I). */
export function narrowestVariance(mixture: Mixture, alphaBar: number): number {
  let narrowest = Infinity;
  for (const [a, b, c] of mixture.covs) {
    const lambdaMin = (a + c) / 2 - Math.hypot((a - c) / 2, b);
    narrowest = Math.min(narrowest, alphaBar * lambdaMin + 1 - alphaBar);
  }
  return narrowest;
}

/** The largest stable δ of each chain, and how much larger than δ the annealed chain's first steps are. */
export interface StableDelta { plain: number; annealed: number; firstStep: number }

/**
 * On a Gaussian of variance v a Langevin step of size α multiplies the distance to the mean by
 * 1 − α/(2v), so past α = 4v every step overshoots further and the chain diverges. The curvature
 * −∇²log q_t of a mixture is at most its largest component precision, 1/narrowestVariance, so steps
 * α < 4·narrowestVariance are stable; for a single Gaussian the bound is exact. Plain Langevin takes
 * α = δ on q_t at σ = 0.1; annealed Langevin takes α_i = δ·(1−ᾱ_{t_i})/(1−ᾱ_{t_L}) at level i, about
 * 100·δ at its noisiest level, where q_t is nearly N(0, I): so it diverges first, near δ ≈ 0.04.
 */
export function stableDelta(mixture: Mixture, schedule: Schedule): StableDelta {
  const ts = annealingTimesteps(schedule, LANGEVIN_LEVELS, defaultSigmaMax(schedule), LANGEVIN_SIGMA);
  const last = 1 - alphaBarOf(schedule, ts[ts.length - 1]);
  let annealed = Infinity;
  for (const t of ts) annealed = Math.min(annealed, (4 * narrowestVariance(mixture, alphaBarOf(schedule, t)) * last) / (1 - alphaBarOf(schedule, t)));
  const plain = 4 * narrowestVariance(mixture, alphaBarOf(schedule, timestepForSigma(schedule, LANGEVIN_SIGMA)));
  return {plain, annealed, firstStep: (1 - alphaBarOf(schedule, ts[0])) / last};
}
