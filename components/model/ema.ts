// Exponential moving average of the weights, kept on device for sampling as one flat vector.
import * as tf from "../vendor/tfjs.js";
import type {EmaWarmup} from "./trainer-config.js";
import {concatArrays, flatten, sizeOf, unflatten} from "./flat.js";

/**
 * Decay used at update number k (0-based):
 *   "none":    β_k = decay
 *   "inverse": β_k = min(decay, (1 + k)/(10 + k))   (tf.train.ExponentialMovingAverage's num_updates rule)
 * The inverse ramp lets a short run's average forget its random initialisation: after k updates
 * the average effectively spans ~k/10 … k steps instead of 1/(1−decay).
 */
export function emaDecayAt(k: number, decay: number, warmup: EmaWarmup): number {
  return warmup === "inverse" ? Math.min(decay, (1 + k) / (10 + k)) : decay;
}

/**
 * θ_ema ← β·θ_ema + (1−β)·θ over all parameters at once, held as one flat variable (three kernels
 * per update whatever the layer count). Owns its variable; call dispose().
 */
export class EMA {
  readonly decay: number;
  readonly warmup: EmaWarmup;
  /** The average, flat in parameter order ([Σ sizes]). */
  readonly shadow: tf.Variable<tf.Rank.R1>;
  readonly shapes: readonly number[][];
  /** Updates applied so far (k in emaDecayAt). */
  updates = 0;

  constructor(params: readonly tf.Tensor[], decay: number, warmup: EmaWarmup = "inverse") {
    if (!(decay >= 0 && decay < 1)) throw new RangeError(`EMA decay must lie in [0, 1), got ${decay}`);
    this.decay = decay;
    this.warmup = warmup;
    this.shapes = params.map((p) => [...p.shape]);
    this.shadow = tf.tidy(() => tf.variable(flatten(params), false) as tf.Variable<tf.Rank.R1>);
  }

  /** One update from the current parameters, given flat (see flatten) or as a list; returns the β used. */
  update(params: tf.Tensor1D | readonly tf.Tensor[]): number {
    const beta = emaDecayAt(this.updates++, this.decay, this.warmup);
    tf.tidy(() => {
      const theta = Array.isArray(params) ? flatten(params) : (params as tf.Tensor1D);
      this.shadow.assign(tf.add(tf.mul(this.shadow, beta), tf.mul(theta, 1 - beta)) as tf.Tensor1D);
    });
    return beta;
  }

  /** The average as one tensor per parameter, in parameter order: new tensors (dispose them, or call inside tf.tidy). */
  weights(): tf.Tensor[] {
    return tf.tidy(() => unflatten(this.shadow, this.shapes));
  }

  /** Sets the average to `values` (arrays in parameter order) and the update count to `updates`. */
  set(values: readonly Float32Array[], updates: number): void {
    const size = this.shapes.reduce((n, s) => n + sizeOf(s), 0);
    const flat = concatArrays(values);
    if (flat.length !== size) throw new Error(`EMA.set: expected ${size} values, got ${flat.length}`);
    tf.tidy(() => this.shadow.assign(tf.tensor1d(flat)));
    this.updates = updates;
  }

  dispose(): void {
    this.shadow.dispose();
  }
}
