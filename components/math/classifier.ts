// The exact conditional model of a labelled mixture at every noise level: the class-conditional
// score ∇log q_t(x | c), the classifier q_t(c | x) and its gradient. Noising acts on each component
// alone (mixture.ts's noiseMixture), so the noised class conditional is the noised class mixture and
// Bayes' rule gives the classifier in closed form.
import {epsFromScore, logDensityAt, noiseMixture, scoreAt} from "./mixture.js";
import {checkClass, checkLabelled, classMixture, classPrior, type LabelledMixture} from "./labelled.js";
import {alphaBarAt, type Schedule} from "./schedules.js";
import type {ConditionalDenoiser, NoisyClassifier, Points} from "./types.js";

/**
 * ∇_x log q_t(x | c) at noise level ᾱ: the score of class c's components noised,
 * −Σ_{k∈c} r_k^c(x)·(ᾱΣ_k + (1−ᾱ)I)⁻¹(x − √ᾱ μ_k), with responsibilities r^c within the class.
 * c = null gives the unconditional score ∇log q_t(x). points, out: [n, 2].
 */
export function conditionalScoreAt(lm: LabelledMixture, alphaBar: number, c: number | null, points: Points, out = new Float64Array(points.length)): Float64Array {
  return scoreAt(noiseMixture(c === null ? lm.mixture : classMixture(lm, c), alphaBar), points, out);
}

/**
 * The classifier of noisy points, by Bayes' rule on the noised mixture:
 *   q_t(c | x) = p(c)·q_t(x | c) / Σ_c' p(c')·q_t(x | c'),
 * computed in log space (log-sum-exp over classes), so every row sums to 1 to rounding and stays
 * finite far from the data. At ᾱ = 1 it is the Bayes classifier of clean data. points: [n, 2]; returns [n, C].
 */
export function classPosteriorAt(lm: LabelledMixture, alphaBar: number, points: Points): Float64Array {
  checkLabelled(lm);
  const C = lm.classes.length, n = points.length / 2, prior = classPrior(lm);
  const logs = Array.from({length: C}, (_, c) => logDensityAt(noiseMixture(classMixture(lm, c), alphaBar), points));
  const out = new Float64Array(n * C);
  for (let i = 0; i < n; ++i) {
    let max = -Infinity;
    for (let c = 0; c < C; ++c) max = Math.max(max, (out[i * C + c] = logs[c][i] + Math.log(prior[c])));
    let sum = 0;
    for (let c = 0; c < C; ++c) sum += out[i * C + c] = Math.exp(out[i * C + c] - max);
    for (let c = 0; c < C; ++c) out[i * C + c] /= sum;
  }
  return out;
}

/**
 * ∇_x log q_t(c | x) = ∇log q_t(x | c) − ∇log q_t(x): the prior p(c) is constant in x. This is what
 * classifier guidance adds to the score, scaled by s (Dhariwal & Nichol 2021, §4.2 and the
 * gradient scale of §4.3). points, out: [n, 2].
 */
export function classifierGradientAt(lm: LabelledMixture, alphaBar: number, c: number, points: Points, out = new Float64Array(points.length)): Float64Array {
  checkClass(lm, c);
  const conditional = conditionalScoreAt(lm, alphaBar, c, points);
  const marginal = conditionalScoreAt(lm, alphaBar, null, points);
  for (let i = 0; i < out.length; ++i) out[i] = conditional[i] - marginal[i];
  return out;
}

/**
 * The exact ε-predictor of a labelled mixture under `schedule`, told the class:
 * ε̂(x_t, t, c) = −√(1−ᾱ_t)·∇log q_t(x_t | c), and for c = null the unconditional −√(1−ᾱ_t)·∇log q_t(x_t)
 * (the same as mixture.ts's exactDenoiser of the whole mixture). What a class-conditional network
 * trained with label dropout would learn if it learned perfectly (Ho & Salimans 2022, §3.2).
 */
export function exactConditionalDenoiser(lm: LabelledMixture, schedule: Schedule): ConditionalDenoiser {
  checkLabelled(lm);
  // A sampler asks at the same timesteps run after run (a guided run asks twice per step), so the
  // noised mixtures are kept per (t, c): at most T·(C+1) small objects for the usual integer grids.
  const parts = [lm.mixture, ...lm.classes.map((_, c) => classMixture(lm, c))];
  const noised = new Map<string, ReturnType<typeof noiseMixture>>();
  return {
    d: 2,
    classes: lm.classes.length,
    async eps(xt, t, c) {
      if (c !== null) checkClass(lm, c);
      const alphaBar = alphaBarAt(schedule, t), key = `${t} ${c}`;
      if (noised.size > 4096) noised.clear();
      const m = noised.get(key) ?? noised.set(key, noiseMixture(parts[c === null ? 0 : c + 1], alphaBar)).get(key)!;
      const score = new Float64Array(xt.length);
      scoreAt(m, xt, score);
      return epsFromScore(score, alphaBar, score);
    },
  };
}

/** The exact classifier of noisy points of a labelled mixture (classPosteriorAt, classifierGradientAt) at timestep t of `schedule`. */
export function exactClassifier(lm: LabelledMixture, schedule: Schedule): NoisyClassifier {
  checkLabelled(lm);
  return {
    d: 2,
    classes: lm.classes.length,
    async probs(xt, t) {
      return classPosteriorAt(lm, alphaBarAt(schedule, t), xt);
    },
    async gradLogProb(xt, t, c) {
      return classifierGradientAt(lm, alphaBarAt(schedule, t), c, xt);
    },
  };
}

/**
 * The class each point most probably came from, argmax_c p(c | x) on clean data (ᾱ = 1): how the
 * chapter decides whether a sample landed "in" the class it asked for. points: [n, 2]; returns [n].
 */
export function classify(lm: LabelledMixture, points: Points): Int32Array {
  const C = lm.classes.length, post = classPosteriorAt(lm, 1, points), out = new Int32Array(points.length / 2);
  for (let i = 0; i < out.length; ++i) {
    let best = 0;
    for (let c = 1; c < C; ++c) if (post[i * C + c] > post[i * C + best]) best = c;
    out[i] = best;
  }
  return out;
}

/**
 * How often the exact classifier names the right class of a noisy point: clean labelled draws x0
 * (points [n, 2], labels [n]) noised to x_t = √ᾱ·x0 + √(1−ᾱ)·z with the given z ([n, 2]), classified by
 * argmax_c q_t(c | x_t), compared with their labels. It falls from the clean Bayes accuracy at ᾱ = 1 to
 * max_c p(c) as ᾱ → 0: the share of the class that the noise has not yet erased.
 */
export function bayesAccuracy(lm: LabelledMixture, alphaBar: number, points: Points, labels: Int32Array, z: Float64Array): number {
  if (points.length !== z.length || points.length !== 2 * labels.length) throw new RangeError("bayesAccuracy: points, labels and z must be [n, 2], [n] and [n, 2]");
  const a = Math.sqrt(alphaBar), b = Math.sqrt(1 - alphaBar), C = lm.classes.length;
  const post = classPosteriorAt(lm, alphaBar, points.map((v, i) => a * v + b * z[i]));
  let right = 0;
  for (let i = 0; i < labels.length; ++i) {
    let best = 0;
    for (let c = 1; c < C; ++c) if (post[i * C + c] > post[i * C + best]) best = c;
    if (best === labels[i]) ++right;
  }
  return labels.length ? right / labels.length : NaN;
}
