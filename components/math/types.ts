// Shapes shared across the math, the model and the views.

/** A uniform random source on [0, 1), injected into every sampler (d3-random style). */
export type Rng = () => number;

/** n points of dimension d, stored row-major and interleaved: [x0, y0, x1, y1, …] for d = 2. */
export type Points = Float64Array;

/**
 * Anything that predicts the noise ε̂(x_t, t) — a trained network or the exact mixture score
 * (ε = −√(1−ᾱ_t)·∇log q_t(x_t)). Samplers call only this, so they work with either.
 */
export interface Denoiser {
  /** Dimension of each point. */
  readonly d: number;
  /**
   * ε̂ for n points xt ([n, d], interleaved) at timestep index t ∈ [0, T−1] of `schedule`
   * (fractional t allowed: samplers on a σ grid land between integer steps).
   */
  eps(xt: Float64Array, t: number): Promise<Float64Array>;
}

/**
 * A denoiser told which class to draw: ε̂(x_t, t, c), with c = null for the unconditional prediction.
 * The exact labelled mixture implements it (classifier.ts), and so will a network trained with the
 * label dropped some of the time (Ho & Salimans 2022). It is not a Denoiser itself: guidance
 * (samplers/guidance.ts) combines its answers into one, which every sampler then runs unchanged.
 */
export interface ConditionalDenoiser {
  /** Dimension of each point. */
  readonly d: number;
  /** Number of classes C; c ranges over 0…C−1. */
  readonly classes: number;
  /** ε̂ for n points xt ([n, d]) at timestep index t (fractional allowed), given class c or none (null). */
  eps(xt: Float64Array, t: number, c: number | null): Promise<Float64Array>;
}

/**
 * A classifier of noisy points, p(c | x_t) at timestep t, and the gradient classifier guidance adds
 * to the score (Dhariwal & Nichol 2021, §4). Exact for a labelled mixture (classifier.ts); a small
 * network trained on noised labelled points will implement it too.
 */
export interface NoisyClassifier {
  readonly d: number;
  /** Number of classes C. */
  readonly classes: number;
  /** p(c | x_t) for every class: [n, C] row-major, each row summing to 1. */
  probs(xt: Float64Array, t: number): Promise<Float64Array>;
  /** ∇_{x_t} log p(c | x_t): [n, d]. */
  gradLogProb(xt: Float64Array, t: number, c: number): Promise<Float64Array>;
}
