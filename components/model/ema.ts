// Exponential moving average of the weights, kept on device for sampling.
import * as tf from "../vendor/tfjs.js";
import type {EmaWarmup} from "./trainer-config.js";

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

/** θ_ema ← β·θ_ema + (1−β)·θ, one shadow variable per parameter. Owns its variables; call dispose(). */
export class EMA {
  readonly decay: number;
  readonly warmup: EmaWarmup;
  readonly shadow: tf.Variable[];
  /** Updates applied so far (k in emaDecayAt). */
  updates = 0;

  constructor(params: readonly tf.Tensor[], decay: number, warmup: EmaWarmup = "inverse") {
    if (!(decay >= 0 && decay < 1)) throw new RangeError(`EMA decay must lie in [0, 1), got ${decay}`);
    this.decay = decay;
    this.warmup = warmup;
    this.shadow = tf.tidy(() => params.map((p) => tf.variable(tf.clone(p), false)));
  }

  /** One update from the current `params`; returns the β used. */
  update(params: readonly tf.Tensor[]): number {
    const beta = emaDecayAt(this.updates++, this.decay, this.warmup);
    tf.tidy(() => this.shadow.forEach((s, i) => s.assign(tf.add(tf.mul(s, beta), tf.mul(params[i], 1 - beta)))));
    return beta;
  }

  /** Sets the shadow to `values` (tensors or arrays in parameter order) and the update count to `updates`. */
  set(values: readonly (tf.Tensor | Float32Array)[], updates: number): void {
    tf.tidy(() => this.shadow.forEach((s, i) => {
      const v = values[i];
      s.assign(v instanceof Float32Array ? tf.tensor(v, s.shape) : tf.clone(v));
    }));
    this.updates = updates;
  }

  dispose(): void {
    tf.dispose(this.shadow);
  }
}
