// Guidance turns a conditional model into the plain Denoiser every sampler runs: fix the class, or
// combine the conditional and unconditional answers (classifier-free guidance), or add a classifier's
// gradient to an unconditional model (classifier guidance). Pure JS on the interfaces in math/types.ts.
import type {ConditionalDenoiser, Denoiser, NoisyClassifier} from "../math/types.js";
import type {Schedule} from "../math/schedules.js";
import {alphaBarOf} from "./common.js";

/** Throws unless c is null or a class of a C-class model. */
function checkLabel(c: number | null, C: number, what: string): void {
  if (c !== null && !(Number.isInteger(c) && c >= 0 && c < C)) throw new RangeError(`${what} must be null or an integer in 0…${C - 1}, got ${c}`);
}

/** The conditional model with its class fixed: ε̂(x_t, t) = ε̂(x_t, t, c) (c = null: unconditional). One evaluation per call. */
export function conditioned(model: ConditionalDenoiser, c: number | null): Denoiser {
  checkLabel(c, model.classes, "class");
  return {d: model.d, eps: (xt, t) => model.eps(xt, t, c)};
}

/** What {@link classifierFree} steers towards and away from. */
export interface CfgOptions {
  /** The class asked for; null for none (then `negative` alone steers). */
  c: number | null;
  /**
   * Guidance weight w in Ho & Salimans' convention: w = 0 is the plain conditional model, w > 0 guides.
   * w ∈ [−1, 0) mixes the conditional and unconditional predictions (w = −1: unconditional); below −1 is refused.
   */
  w: number;
  /** The class the extrapolation starts from: null (default) is the unconditional model; a class steers away from it. */
  negative?: number | null;
}

/**
 * Classifier-free guidance (Ho & Salimans 2022, eq. 6, Algorithm 2):
 *   ε̃(x_t, t) = (1 + w)·ε̂(x_t, t, c) − w·ε̂(x_t, t, negative),
 * negative = null being the unconditional prediction. In scores, with the exact model,
 *   ∇log q_t(x | c) + w·(∇log q_t(x | c) − ∇log q_t(x)) = ∇log q_t(x) + (1 + w)·∇log q_t(c | x):
 * classifier guidance with s = 1 + w and the model's own implicit classifier. diffusers' and Stable
 * Diffusion's "guidance scale" is 1 + w. With c = null and a negative class it steers away from that
 * class, ε̃ = (1 + w)·ε̂(x_t, t) − w·ε̂(x_t, t, negative); with both it is a "negative prompt".
 * Two model evaluations per call (the conditional and the other), as a real CFG sampler spends.
 */
export function classifierFree(model: ConditionalDenoiser, {c, w, negative = null}: CfgOptions): Denoiser {
  checkLabel(c, model.classes, "class");
  checkLabel(negative, model.classes, "negative class");
  if (!(Number.isFinite(w) && w >= -1)) throw new RangeError(`guidance weight w must be a finite number ≥ −1, got ${w}`);
  return {
    d: model.d,
    async eps(xt, t) {
      const [toward, from] = await Promise.all([model.eps(xt, t, c), model.eps(xt, t, negative)]);
      const out = new Float64Array(toward.length);
      for (let k = 0; k < out.length; ++k) out[k] = (1 + w) * toward[k] - w * from[k];
      return out;
    },
  };
}

/** What {@link classifierGuided} steers towards. */
export interface ClassifierGuidanceOptions {
  c: number;
  /** Gradient scale s ≥ 0: s = 1 samples q(x | c) exactly when model and classifier are exact; s = 0 ignores the class. */
  s: number;
}

/**
 * Classifier guidance (Dhariwal & Nichol 2021, §4.2 and Algorithm 2, with the scale s of §4.3):
 *   ε̃(x_t, t) = ε̂(x_t, t) − s·√(1−ᾱ_t)·∇_{x_t} log p(c | x_t),
 * i.e. the score ∇log q_t(x) + s·∇log p(c | x_t), since ε = −√(1−ᾱ_t)·score. One model and one
 * classifier evaluation per call. `schedule` gives ᾱ_t; it must be the model's.
 */
export function classifierGuided(model: Denoiser, classifier: NoisyClassifier, schedule: Schedule, {c, s}: ClassifierGuidanceOptions): Denoiser {
  checkLabel(c, classifier.classes, "class");
  if (model.d !== classifier.d) throw new RangeError(`model has d = ${model.d} but classifier has d = ${classifier.d}`);
  if (!(Number.isFinite(s) && s >= 0)) throw new RangeError(`classifier scale s must be a finite number ≥ 0, got ${s}`);
  return {
    d: model.d,
    async eps(xt, t) {
      const [eps, grad] = await Promise.all([model.eps(xt, t), classifier.gradLogProb(xt, t, c)]);
      const k = s * Math.sqrt(1 - alphaBarOf(schedule, t)), out = new Float64Array(eps.length);
      for (let i = 0; i < out.length; ++i) out[i] = eps[i] - k * grad[i];
      return out;
    },
  };
}
