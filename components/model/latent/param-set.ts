// A network's parameters as one flat tfjs variable θ, with Adam's moments and an EMA shadow beside
// it, and snapshots in JS arrays (what a divergence or a lost GPU context returns to). The forward
// pass reads each named parameter as a view of θ (one SplitV kernel; its gradient is one Concat),
// and the gradient comes from tfjs's autodiff (tf.variableGrads), so any network written with
// layers.ts trains with it. One flat vector rather than a tensor per parameter makes the optimiser
// ~15 kernels a step instead of ~15 per parameter tensor (70+ here): on wasm each kernel call has a
// fixed overhead, and for these small networks that overhead is most of a step.
import * as tf from "../../vendor/tfjs.js";
import type {ParamSpec, Params} from "./layers.js";

/** All trainable state, flat (parameters concatenated in spec order): weights, EMA, Adam moments, counter. */
export interface ParamSnapshot {
  step: number;
  weights: Float32Array;
  ema: Float32Array;
  adamM: Float32Array;
  adamV: Float32Array;
}

/** Adam's settings (Kingma & Ba 2015, Algorithm 1) and the EMA decay of the weights. */
export interface OptimiserConfig {
  lr: number;
  beta1: number;
  beta2: number;
  /** Gradients are scaled down to this global L2 norm when larger (0: never). */
  clipNorm: number;
  /** EMA decay β: θ_ema ← β·θ_ema + (1 − β)·θ, ramped up as min(β, (1 + k)/(10 + k)). */
  emaDecay: number;
}

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Parameters, Adam moments and EMA weights of one network, all tfjs variables it owns. */
export class ParamSet {
  readonly specs: readonly ParamSpec[];
  readonly sizes: number[];
  /** Consecutive parameters split off θ together (see views). */
  private readonly groups: {sizes: number[]; total: number}[];
  private readonly theta: tf.Variable;
  private readonly m: tf.Variable;
  private readonly v: tf.Variable;
  private readonly shadow: tf.Variable;
  step: number;

  constructor(specs: readonly ParamSpec[], state: ParamSnapshot) {
    this.specs = specs;
    this.sizes = specs.map((s) => sizeOf(s.shape));
    const per = Math.ceil(Math.sqrt(this.sizes.length));
    this.groups = Array.from({length: Math.ceil(this.sizes.length / per)}, (_, k) => {
      const sizes = this.sizes.slice(k * per, (k + 1) * per);
      return {sizes, total: sizes.reduce((a, b) => a + b, 0)};
    });
    const total = this.sizes.reduce((a, b) => a + b, 0);
    for (const [name, a] of Object.entries({weights: state.weights, ema: state.ema, adamM: state.adamM, adamV: state.adamV})) {
      if (a.length !== total) throw new RangeError(`ParamSet: ${name} holds ${a.length} values; the network has ${total}`);
    }
    const variable = (a: Float32Array, trainable: boolean) => tf.tidy(() => tf.variable(tf.tensor1d(a), trainable));
    this.theta = variable(state.weights, true);
    this.m = variable(state.adamM, false);
    this.v = variable(state.adamV, false);
    this.shadow = variable(state.ema, false);
    this.step = state.step;
  }

  /** Fresh moments, EMA equal to `weights` (flat, spec order), step 0. */
  static fromWeights(specs: readonly ParamSpec[], weights: Float32Array): ParamSet {
    const zeros = new Float32Array(weights.length);
    return new ParamSet(specs, {step: 0, weights, ema: weights, adamM: zeros, adamV: zeros});
  }

  /**
   * Named views of a flat vector, split in two levels: into about √n groups of consecutive
   * parameters, then each group into its parameters. On wasm every piece of a SplitV is a Slice that
   * reads its whole input back (a copy of all of θ per piece), so one level costs n copies of θ
   * (n = 70 for the latent denoiser: 20–30 ms per call in Chromium, most of a sampling step) and two
   * cost about 2√n. Exact either way; the gradient is a Concat per level. Call inside tf.tidy.
   */
  private views(flat: tf.Tensor): Params {
    const groups = tf.split(flat, this.groups.map((g) => g.total));
    const pieces = groups.flatMap((group, i) => (this.groups[i].sizes.length === 1 ? [group] : tf.split(group, this.groups[i].sizes)));
    return Object.fromEntries(this.specs.map((s, i) => [s.name, tf.reshape(pieces[i], s.shape)]));
  }

  /** The live parameters by name. Call inside tf.tidy. */
  params(): Params {
    return this.views(this.theta);
  }

  /** The EMA parameters by name. Call inside tf.tidy. */
  emaParams(): Params {
    return this.views(this.shadow);
  }

  /** Total number of parameter values. */
  get size(): number {
    return this.theta.size;
  }

  /**
   * One Adam step on `loss` (a scalar function of the live parameters), with global-norm clipping,
   * then the EMA update; returns the loss. Call inside tf.tidy. `lr` overrides the config's rate.
   */
  adamStep(loss: (p: Params) => tf.Scalar, c: OptimiserConfig, lr = c.lr): tf.Scalar {
    const {value, grads} = tf.variableGrads(() => loss(this.params()), [this.theta]);
    let g: tf.Tensor = grads[this.theta.name];
    if (c.clipNorm > 0) g = tf.mul(g, tf.minimum(1, tf.div(c.clipNorm, tf.add(tf.norm(g), 1e-12))));
    const k = ++this.step;
    const c1 = 1 - Math.pow(c.beta1, k), c2 = 1 - Math.pow(c.beta2, k);
    this.m.assign(tf.add(tf.mul(this.m, c.beta1), tf.mul(g, 1 - c.beta1)));
    this.v.assign(tf.add(tf.mul(this.v, c.beta2), tf.mul(tf.square(g), 1 - c.beta2)));
    this.theta.assign(tf.sub(this.theta, tf.div(tf.mul(this.m, lr / c1), tf.add(tf.sqrt(tf.div(this.v, c2)), 1e-8))));
    const beta = Math.min(c.emaDecay, (1 + k) / (10 + k));
    this.shadow.assign(tf.add(tf.mul(this.shadow, beta), tf.mul(this.theta, 1 - beta)));
    return value;
  }

  /** Reads every value back (one await for all four). */
  async snapshot(): Promise<ParamSnapshot> {
    const [w, e, m, v] = (await Promise.all([this.theta, this.shadow, this.m, this.v].map((t) => t.data()))) as Float32Array[];
    return {step: this.step, weights: w, ema: e, adamM: m, adamV: v};
  }

  /** Puts every variable back to `s`, in place. */
  restore(s: ParamSnapshot): void {
    tf.tidy(() => {
      this.theta.assign(tf.tensor1d(s.weights));
      this.shadow.assign(tf.tensor1d(s.ema));
      this.m.assign(tf.tensor1d(s.adamM));
      this.v.assign(tf.tensor1d(s.adamV));
    });
    this.step = s.step;
  }

  /** Frees every variable. */
  dispose(): void {
    tf.dispose([this.theta, this.m, this.v, this.shadow]);
  }
}

/** Initial values of `specs` as one flat array (see layers.initialValues). */
export function flatten(arrays: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const a of arrays) { out.set(a, offset); offset += a.length; }
  return out;
}
