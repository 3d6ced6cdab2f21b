// A small classifier of noisy points p_φ(c | x_t, t), trained on labelled data noised by the forward
// process, for classifier guidance (Dhariwal & Nichol 2021, §4.1: "we train a classifier p_φ(y | x_t, t)
// on noisy images x_t"). An MLP on [x_t, e(t)] with ReLU layers and C logits; softmax cross-entropy and
// its gradient, and the gradient of log p_φ(c | x_t) with respect to x_t, written by hand like the
// denoiser's backward pass.
import * as tf from "../vendor/tfjs.js";
import {matMulT, readTensors, sumRows} from "./denoiser.js";
import {Adam} from "./adam.js";
import {sinusoidalTable} from "./embedding.js";
import {alphaBarAt, type Schedule} from "../math/schedules.js";
import {normalFrom, rngFromSeed} from "../math/random.js";
import type {NoisyClassifier, Points, Rng} from "../math/types.js";

/** The classifier's shape and training settings. */
export interface ClassifierOptions {
  classes: number;
  /** Units per hidden layer (default 64) and hidden layers (default 3). */
  width?: number;
  depth?: number;
  /** Width of the sinusoidal timestep embedding (default 32). */
  embedDim?: number;
  /** Adam's learning rate (default 3e-3) and the batch size (default 256). */
  lr?: number;
  batchSize?: number;
  /** Seeds the initial weights and every batch (default 0). */
  seed?: number;
}

/**
 * p_φ(c | x_t, t) for 2D points. Owns its variables; call dispose(). Usage:
 *   const net = new ClassifierNet(schedule, points, labels, {classes: 8});
 *   await net.train(1000);
 *   const guided = classifierGuided(model, net.asNoisyClassifier(), schedule, {c: 3, s: 2});
 */
export class ClassifierNet {
  readonly classes: number;
  readonly schedule: Schedule;
  readonly params: tf.Variable[];
  private adam: Adam;
  /** Weights and Adam moments after the last train() (or as initialised), kept in JS: what rebuild() recreates. */
  private good: {params: Float32Array[]; m: Float32Array; v: Float32Array; steps: number};
  private readonly table: Float64Array;
  private readonly E: number;
  private readonly depth: number;
  private readonly lr: number;
  private readonly batchSize: number;
  private readonly rng: Rng;
  private readonly normal: () => number;
  private steps = 0;

  /** points: [n, 2] training data; labels: [n] classes in 0…classes−1. */
  constructor(schedule: Schedule, private readonly points: Points, private readonly labels: Int32Array, options: ClassifierOptions) {
    const {classes, width = 64, depth = 3, embedDim = 32, lr = 3e-3, batchSize = 256, seed = 0} = options;
    if (!(Number.isInteger(classes) && classes >= 2)) throw new RangeError(`ClassifierNet: classes must be an integer ≥ 2, got ${classes}`);
    if (labels.length * 2 !== points.length || labels.length === 0) throw new RangeError(`ClassifierNet: ${labels.length} labels for ${points.length / 2} points`);
    for (const c of labels) if (!(c >= 0 && c < classes)) throw new RangeError(`ClassifierNet: label ${c} is not a class in 0…${classes - 1}`);
    this.classes = classes;
    this.schedule = schedule;
    this.E = embedDim;
    this.depth = depth;
    this.lr = lr;
    this.batchSize = batchSize;
    this.rng = rngFromSeed(seed);
    this.normal = normalFrom(this.rng);
    this.table = sinusoidalTable({T: schedule.T, dim: embedDim, scale: 1000 / schedule.T});
    const shapes: number[][] = [];
    for (let k = 0, fanIn = 2 + embedDim; k <= depth; ++k, fanIn = width) {
      shapes.push([fanIn, k === depth ? classes : width], [k === depth ? classes : width]);
    }
    // He-uniform kernels, zero biases, a zero output layer (uniform p at the start).
    const initial = shapes.map((shape, i) => {
      const size = shape.reduce((a, b) => a * b, 1), limit = Math.sqrt(6 / shape[0]);
      return shape.length === 2 && i < 2 * depth ? Float32Array.from({length: size}, () => (2 * this.rng() - 1) * limit) : new Float32Array(size);
    });
    const moments = new Float32Array(initial.reduce((n, w) => n + w.length, 0));
    this.good = {params: initial, m: moments, v: moments, steps: 0};
    this.params = [];
    this.adam = this.build(shapes);
  }

  /** Variables from `this.good` on the current backend, into `params`, and an Adam holding its moments. */
  private build(shapes: number[][]): Adam {
    const {params, m, v} = this.good;
    this.params.splice(0, this.params.length, ...tf.tidy(() => params.map((w, i) => tf.variable(tf.tensor(w, shapes[i])))));
    const adam = new Adam(shapes, 0.9, 0.999);
    adam.set([m], [v]);
    return adam;
  }

  /**
   * Recreates every tensor from the weights and moments after the last train(), on the current
   * backend: after a backend switch or a lost WebGL context. Disposing the old tensors may throw on
   * a lost backend; that is ignored.
   */
  rebuild(): void {
    try { this.dispose(); } catch { /* the old backend is gone */ }
    this.steps = this.good.steps;
    this.adam = this.build(this.adam.shapes.map((s) => [...s]));
  }

  /** Training steps taken. */
  get stepCount(): number {
    return this.steps;
  }

  /** Input rows [x_t, e(t)], [n, 2 + embedDim], for xt [n, 2] at timesteps t (fractional: e interpolated between table rows). */
  private rows(xt: ArrayLike<number>, t: ArrayLike<number>): Float32Array {
    const n = t.length, K = 2 + this.E, rows = new Float32Array(n * K), T = this.schedule.T;
    for (let i = 0; i < n; ++i) {
      const u = Math.min(Math.max(t[i], 0), T - 1), lo = Math.floor(u), hi = Math.min(lo + 1, T - 1), f = u - lo;
      rows[i * K] = xt[2 * i];
      rows[i * K + 1] = xt[2 * i + 1];
      for (let k = 0; k < this.E; ++k) rows[i * K + 2 + k] = (1 - f) * this.table[lo * this.E + k] + f * this.table[hi * this.E + k];
    }
    return rows;
  }

  /** Logits [n, C] and each layer's input a_k (for the backward pass). Call inside tf.tidy. */
  private forward(input: tf.Tensor2D): {logits: tf.Tensor2D; inputs: tf.Tensor2D[]} {
    const inputs: tf.Tensor2D[] = [];
    let a = input;
    for (let k = 0; ; ++k) {
      inputs.push(a);
      const [w, bias] = [this.params[2 * k] as tf.Tensor2D, this.params[2 * k + 1] as tf.Tensor1D];
      if (k === this.depth) return {logits: tf.fused.matMul({a, b: w, bias}) as tf.Tensor2D, inputs};
      a = tf.fused.matMul({a, b: w, bias, activation: "relu"}) as tf.Tensor2D;
    }
  }

  /**
   * Backpropagates δ = ∂L/∂logits: ∂L/∂W_k = a_kᵀδ_k, ∂L/∂b_k = Σ_rows δ_k, δ_{k−1} = (δ_k W_kᵀ) ⊙ 1[a_k > 0]
   * (a_k = ReLU output). Returns the parameter gradients and ∂L/∂input ([n, 2 + embedDim]) if asked.
   */
  private backward(inputs: tf.Tensor2D[], dLogits: tf.Tensor2D, wantInput: boolean): {grads: tf.Tensor[]; dInput: tf.Tensor2D | null} {
    const grads: tf.Tensor[] = new Array(this.params.length);
    let delta = dLogits;
    for (let k = this.depth; k >= 0; --k) {
      grads[2 * k] = matMulT(inputs[k], delta, true, false);
      grads[2 * k + 1] = sumRows(delta);
      if (k === 0 && !wantInput) break;
      const da = matMulT(delta, this.params[2 * k] as tf.Tensor2D, false, true);
      if (k === 0) return {grads, dInput: da};
      delta = tf.mul(da, tf.step(inputs[k])) as tf.Tensor2D;
    }
    return {grads, dInput: null};
  }

  /**
   * `steps` Adam steps of softmax cross-entropy L = −(1/B)·Σ_i log softmax(logits_i)[c_i] on batches of
   * (x_t, t, c): a data point and its class, t uniform on 0…T−1, x_t = √ᾱ_t·x0 + √(1−ᾱ_t)·ε.
   * ∂L/∂logits = (softmax − onehot(c))/B. Resolves to the mean loss over the steps (one readback).
   */
  async train(steps: number): Promise<number> {
    const B = this.batchSize, C = this.classes, n = this.labels.length, T = this.schedule.T;
    const losses = tf.tidy(() => {
      const all: tf.Tensor[] = [];
      for (let s = 0; s < steps; ++s) {
        const xt = new Float32Array(2 * B), t = new Int32Array(B), onehot = new Float32Array(B * C);
        for (let i = 0; i < B; ++i) {
          const j = Math.floor(this.rng() * n);
          t[i] = Math.floor(this.rng() * T);
          const sa = this.schedule.sqrtAlphaBar[t[i]], so = this.schedule.sqrtOneMinusAlphaBar[t[i]];
          xt[2 * i] = sa * this.points[2 * j] + so * this.normal();
          xt[2 * i + 1] = sa * this.points[2 * j + 1] + so * this.normal();
          onehot[i * C + this.labels[j]] = 1;
        }
        all.push(tf.tidy(() => {
          const {logits, inputs} = this.forward(tf.tensor2d(this.rows(xt, t), [B, 2 + this.E]));
          const y = tf.tensor2d(onehot, [B, C]), logp = tf.logSoftmax(logits);
          const dLogits = tf.div(tf.sub(tf.exp(logp), y), B) as tf.Tensor2D;
          this.adam.apply(this.params, this.backward(inputs, dLogits, false).grads, this.lr, ++this.steps);
          return tf.neg(tf.mean(tf.sum(tf.mul(logp, y), 1)));
        }));
      }
      return tf.stack(all);
    });
    // One readback: the losses, and the weights and moments that rebuild() would need.
    const [values, ...state] = await readTensors([losses, ...this.params, this.adam.m, this.adam.v]);
    losses.dispose();
    this.good = {params: state.slice(0, this.params.length), m: state[this.params.length], v: state[this.params.length + 1], steps: this.steps};
    let sum = 0;
    for (const l of values) sum += l;
    return sum / steps;
  }

  /** p_φ(c | x_t) for every class, [n, C] row-major, at fractional timestep t. */
  async probs(xt: Float64Array, t: number): Promise<Float64Array> {
    const n = xt.length / 2;
    const p = tf.tidy(() => tf.softmax(this.forward(tf.tensor2d(this.rows(xt, new Float64Array(n).fill(t)), [n, 2 + this.E])).logits));
    const values = await p.data();
    p.dispose();
    return Float64Array.from(values);
  }

  /** ∇_{x_t} log p_φ(c | x_t) = ∂/∂x_t (logit_c − logsumexp(logits)), [n, 2]: δ = onehot(c) − softmax backpropagated to the input's x columns. */
  async gradLogProb(xt: Float64Array, t: number, c: number): Promise<Float64Array> {
    if (!(Number.isInteger(c) && c >= 0 && c < this.classes)) throw new RangeError(`class must be an integer in 0…${this.classes - 1}, got ${c}`);
    const n = xt.length / 2, C = this.classes;
    const g = tf.tidy(() => {
      const {logits, inputs} = this.forward(tf.tensor2d(this.rows(xt, new Float64Array(n).fill(t)), [n, 2 + this.E]));
      const onehot = tf.tensor2d(Float32Array.from({length: n * C}, (_, k) => (k % C === c ? 1 : 0)), [n, C]);
      const {dInput} = this.backward(inputs, tf.sub(onehot, tf.softmax(logits)) as tf.Tensor2D, true);
      return tf.slice(dInput!, [0, 0], [n, 2]);
    });
    const values = await g.data();
    g.dispose();
    return Float64Array.from(values);
  }

  /** The classifier as the NoisyClassifier that samplers/guidance.ts's classifierGuided takes. */
  asNoisyClassifier(): NoisyClassifier {
    return {d: 2, classes: this.classes, probs: (xt, t) => this.probs(xt, t), gradLogProb: (xt, t, c) => this.gradLogProb(xt, t, c)};
  }

  /** Share of labelled points (x0 [n, 2], labels [n]) noised to timestep t with noise z [n, 2] whose most probable class is their own. */
  async accuracy(x0: Points, labels: Int32Array, t: number, z: Float64Array): Promise<number> {
    const ab = alphaBarAt(this.schedule, t), a = Math.sqrt(ab), b = Math.sqrt(1 - ab), C = this.classes;
    const p = await this.probs(x0.map((v, i) => a * v + b * z[i]), t);
    let right = 0;
    for (let i = 0; i < labels.length; ++i) {
      let best = 0;
      for (let k = 1; k < C; ++k) if (p[i * C + k] > p[i * C + best]) best = k;
      if (best === labels[i]) ++right;
    }
    return right / labels.length;
  }

  dispose(): void {
    tf.dispose(this.params);
    this.adam.dispose();
  }
}
