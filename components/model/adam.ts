// Adam on a list of tfjs variables, with its moments kept as flat variables of their own so that a
// snapshot can save and restore them and one step costs a dozen kernels whatever the layer count.
import * as tf from "../vendor/tfjs.js";
import {concatArrays, flatten, sizeOf, unflatten} from "./flat.js";

/**
 * Adam (Kingma & Ba 2015, Algorithm 1) on a list of variables, with the moments m and v over all of
 * them as two flat variables created up front (tf.train.adam creates them lazily on the first step,
 * which would change tf.memory().numTensors after the first chunk) and the learning rate passed per step.
 */
export class Adam {
  /** First and second moments, flat in parameter order ([Σ sizes]). */
  readonly m: tf.Variable<tf.Rank.R1>;
  readonly v: tf.Variable<tf.Rank.R1>;
  readonly shapes: readonly number[][];

  constructor(shapes: readonly number[][], readonly beta1: number, readonly beta2: number, readonly epsilon = 1e-8) {
    this.shapes = shapes.map((s) => [...s]);
    const size = shapes.reduce((n, s) => n + sizeOf(s), 0);
    this.m = tf.tidy(() => tf.variable(tf.zeros([size]), false) as tf.Variable<tf.Rank.R1>);
    this.v = tf.tidy(() => tf.variable(tf.zeros([size]), false) as tf.Variable<tf.Rank.R1>);
  }

  /**
   * θ ← θ − lr·m̂/(√v̂ + ε) for update number k (1-based), on every parameter at once:
   *   m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  m̂ = m/(1−β₁ᵏ),  v̂ = v/(1−β₂ᵏ).
   * Returns the updated parameters flat (for the weight average). Call inside tf.tidy.
   */
  apply(params: readonly tf.Variable[], grads: readonly tf.Tensor[], lr: number, k: number): tf.Tensor1D {
    const c1 = 1 - Math.pow(this.beta1, k), c2 = 1 - Math.pow(this.beta2, k);
    const g = flatten(grads);
    const m = tf.add(tf.mul(this.m, this.beta1), tf.mul(g, 1 - this.beta1)) as tf.Tensor1D;
    const v = tf.add(tf.mul(this.v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)) as tf.Tensor1D;
    this.m.assign(m);
    this.v.assign(v);
    // √v̂ = √v/√c2: one kernel fewer than dividing v first.
    const step = tf.div(tf.mul(m, lr / c1), tf.add(tf.mul(tf.sqrt(v), 1 / Math.sqrt(c2)), this.epsilon));
    const next = tf.sub(flatten(params), step) as tf.Tensor1D;
    unflatten(next, this.shapes).forEach((value, i) => params[i].assign(value));
    return next;
  }

  /** Sets both moments from arrays in parameter order (a snapshot's adamM and adamV). */
  set(m: readonly Float32Array[], v: readonly Float32Array[]): void {
    tf.tidy(() => {
      this.m.assign(tf.tensor1d(concatArrays(m)));
      this.v.assign(tf.tensor1d(concatArrays(v)));
    });
  }

  /** Frees both moments. */
  dispose(): void {
    tf.dispose([this.m, this.v]);
  }
}
