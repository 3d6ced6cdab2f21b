// Sinusoidal timestep embedding, computed once in JS Float64 and read on device with tf.gather.
// tf.sin/tf.cos of arguments up to ~1000 on WebGL/WebGPU were measured to err by ~2e-4 (skewing the
// first layer's gradient by ~0.6%), so the device never evaluates them: it only looks rows up.
import * as tf from "../vendor/tfjs.js";

/** How t is turned into the sinusoid arguments. */
export interface EmbeddingSpec {
  /** Timesteps in the table: rows t = 0 … T−1. */
  T: number;
  /** Embedding width (even): dim/2 sines then dim/2 cosines. */
  dim: number;
  /** Longest period, 10000 in Vaswani et al. (2017) §3.5 and Ho et al. (2020). */
  maxPeriod?: number;
  /**
   * Multiplier on t before the sinusoids. 1000/T makes a short schedule span the same arguments as
   * DDPM's 1000 steps, so the low frequencies still vary across the schedule.
   */
  scale?: number;
}

/**
 * The embedding table, row-major [T, dim]:
 *   e(t)_i = sin(s·t·ω_i),  e(t)_{i+dim/2} = cos(s·t·ω_i),  ω_i = maxPeriod^(−i/(dim/2)),  i < dim/2
 * (Vaswani et al. 2017, §3.5, as used for timesteps by Ho et al. 2020, Appendix B).
 */
export function sinusoidalTable({T, dim, maxPeriod = 10000, scale = 1}: EmbeddingSpec): Float64Array {
  if (!Number.isInteger(T) || T < 1) throw new RangeError(`sinusoidalTable: T must be a positive integer, got ${T}`);
  if (!Number.isInteger(dim) || dim < 2 || dim % 2) throw new RangeError(`sinusoidalTable: dim must be a positive even integer, got ${dim}`);
  const half = dim / 2;
  const table = new Float64Array(T * dim);
  for (let i = 0; i < half; ++i) {
    const omega = Math.pow(maxPeriod, -i / half);
    for (let t = 0; t < T; ++t) {
      const arg = scale * t * omega;
      table[t * dim + i] = Math.sin(arg);
      table[t * dim + half + i] = Math.cos(arg);
    }
  }
  return table;
}

/** The table as a device tensor plus the ways of reading it. Owns one tensor; call dispose(). */
export class TimeEmbedding {
  readonly T: number;
  readonly dim: number;
  /** sinusoidalTable(spec), row-major [T, dim], in JS. */
  readonly values: Float64Array;
  /** The same, [T, dim] float32, uploaded once. */
  readonly table: tf.Tensor2D;

  constructor(spec: EmbeddingSpec) {
    this.T = spec.T;
    this.dim = spec.dim;
    this.values = sinusoidalTable(spec);
    this.table = tf.tensor2d(Float32Array.from(this.values), [spec.T, spec.dim]);
  }

  /** Rows for integer timesteps. t: int32 [n] → [n, dim]. */
  gather(t: tf.Tensor1D): tf.Tensor2D {
    return tf.gather(this.table, t);
  }

  /**
   * One fractional timestep t ∈ [0, T−1], broadcast to n rows: the linear interpolation
   * (1−w)·e(⌊t⌋) + w·e(⌊t⌋+1), w = t − ⌊t⌋, of two gathered rows. → [n, dim]
   */
  atFractional(t: number, n: number): tf.Tensor2D {
    const [lo, hi, w] = this.bracket(t);
    return tf.tidy(() => {
      const rows = tf.gather(this.table, tf.tensor1d([lo, hi], "int32"));
      const mixed = tf.matMul(tf.tensor2d([1 - w, w], [1, 2]), rows);
      return tf.tile(mixed, [n, 1]) as tf.Tensor2D;
    });
  }

  /**
   * e(t) for one fractional t ∈ [0, T−1], computed in JS: (1−w)·e(⌊t⌋) + w·e(⌊t⌋+1), w = t − ⌊t⌋,
   * the row atFractional broadcasts (there mixed in float32 on device). → [dim]
   */
  rowAt(t: number): Float32Array {
    const [lo, hi, w] = this.bracket(t);
    const row = new Float32Array(this.dim);
    for (let i = 0; i < this.dim; ++i) row[i] = (1 - w) * this.values[lo * this.dim + i] + w * this.values[hi * this.dim + i];
    return row;
  }

  /** The two table rows around t and the weight of the upper one; throws outside [0, T−1]. */
  private bracket(t: number): [number, number, number] {
    if (!(t >= 0 && t <= this.T - 1)) throw new RangeError(`TimeEmbedding: t must lie in [0, ${this.T - 1}], got ${t}`);
    const lo = Math.floor(t);
    return [lo, Math.min(lo + 1, this.T - 1), t - lo];
  }

  dispose(): void {
    this.table.dispose();
  }
}
