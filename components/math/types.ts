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
