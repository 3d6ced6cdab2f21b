// Adam on a list of tfjs variables, with its moments kept as variables of their own so that a
// snapshot can save and restore them.
import * as tf from "../vendor/tfjs.js";

/**
 * Adam (Kingma & Ba 2015, Algorithm 1) on a list of variables, with the moments as variables created
 * up front (tf.train.adam creates them lazily on the first step, which would change
 * tf.memory().numTensors after the first chunk) and the learning rate passed per step.
 */
export class Adam {
  readonly m: tf.Variable[];
  readonly v: tf.Variable[];
  constructor(shapes: number[][], readonly beta1: number, readonly beta2: number, readonly epsilon = 1e-8) {
    this.m = tf.tidy(() => shapes.map((s) => tf.variable(tf.zeros(s), false)));
    this.v = tf.tidy(() => shapes.map((s) => tf.variable(tf.zeros(s), false)));
  }

  /** θ ← θ − lr·m̂/(√v̂ + ε) for update number k (1-based). Call inside tf.tidy. */
  apply(params: tf.Variable[], grads: tf.Tensor[], lr: number, k: number): void {
    const c1 = 1 - Math.pow(this.beta1, k), c2 = 1 - Math.pow(this.beta2, k);
    params.forEach((p, i) => {
      const g = grads[i];
      const m = tf.add(tf.mul(this.m[i], this.beta1), tf.mul(g, 1 - this.beta1));
      const v = tf.add(tf.mul(this.v[i], this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
      this.m[i].assign(m);
      this.v[i].assign(v);
      p.assign(tf.sub(p, tf.div(tf.mul(m, lr / c1), tf.add(tf.sqrt(tf.div(v, c2)), this.epsilon))));
    });
  }

  /** Sets both moments from arrays in parameter order (a snapshot's adamM and adamV). */
  set(m: Float32Array[], v: Float32Array[]): void {
    tf.tidy(() => {
      this.m.forEach((x, i) => x.assign(tf.tensor(m[i], x.shape)));
      this.v.forEach((x, i) => x.assign(tf.tensor(v[i], x.shape)));
    });
  }

  /** Frees both moments. */
  dispose(): void {
    tf.dispose(this.m);
    tf.dispose(this.v);
  }
}
