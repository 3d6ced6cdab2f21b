// The denoiser network: an MLP on (x_t, e(t)) built from raw tf.variables and core ops (no tf.layers),
// plus the conversions between what it predicts (ε, x0 or v) and ε / x̂0. Its configuration and the
// checks of it live in denoiser-config.ts, which pages can load without tfjs.
import * as tf from "../vendor/tfjs.js";
import {TimeEmbedding} from "./embedding.js";
import {checkWeights, fourierMatrix, normalizeConfig, paramSpecs, validateConfig, type Activation, type DenoiserConfig, type ParamSpec, type Prediction} from "./denoiser-config.js";
import type {Rng} from "../math/types.js";

/** What `forwardWithCache` returns: the output and the intermediates that `backward` reads. */
export interface ForwardCache {
  out: tf.Tensor2D;
  /** The input a_k of every dense layer, k = 0 … depth. */
  inputs: tf.Tensor2D[];
  /** The pre-activation z_k of every hidden layer, kept only for activations whose slope needs it (SiLU, GELU). */
  pre: tf.Tensor2D[];
  /** The activation h_k = act(z_k) of every hidden layer. */
  post: tf.Tensor2D[];
}

/** Activations that tfjs fuses into a matmul (with its bias) on every backend. */
export const FUSED_ACTIVATIONS: ReadonlySet<Activation> = new Set(["relu", "elu"]);

/** Activations whose slope act'(z) can be read off h = act(z) alone: ReLU and ELU (h > 0 ⇔ z > 0), tanh (1 − h²). */
const SLOPE_FROM_OUTPUT: ReadonlySet<Activation> = new Set(["relu", "elu", "tanh"]);

/**
 * a·b with a or b transposed. tfjs's wasm backend runs a matmul with either transpose flag as a
 * plain scalar loop instead of XNNPACK: [256, 64]ᵀ·[256, 64] took ~800 µs there against ~140 µs
 * for an explicit transpose followed by an untransposed matmul. WebGL, WebGPU and the CPU backend
 * read transposed operands at no cost, so only wasm transposes first.
 */
export function matMulT(a: tf.Tensor2D, b: tf.Tensor2D, transposeA: boolean, transposeB: boolean): tf.Tensor2D {
  if (tf.getBackend() !== "wasm") return tf.matMul(a, b, transposeA, transposeB);
  return tf.matMul(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b);
}

/**
 * Σ over rows of δ [n, m] → [m]. On wasm as ones[1, n]·δ, an XNNPACK matmul: tf.sum over axis 0
 * took ~80 µs for [256, 64] there against ~10 µs.
 */
export function sumRows(delta: tf.Tensor2D): tf.Tensor1D {
  if (tf.getBackend() !== "wasm") return tf.sum(delta, 0);
  return tf.reshape(tf.matMul(tf.ones([1, delta.shape[0]]), delta), [-1]);
}

const GELU_C = Math.sqrt(2 / Math.PI);

/** The nonlinearity; SiLU(x) = x·σ(x) (Elfwing et al. 2018), GELU by its tanh form (Hendrycks & Gimpel 2016). */
export function activate(x: tf.Tensor, a: Activation): tf.Tensor {
  switch (a) {
    case "relu": return tf.relu(x);
    case "silu": return tf.mul(x, tf.sigmoid(x));
    case "gelu": return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), GELU_C))));
    case "elu": return tf.elu(x);
    case "tanh": return tf.tanh(x);
  }
}

/**
 * d act(z)/dz, given the pre-activation z and the activation h = act(z) (reused where it is cheaper).
 *   relu: 1[z>0]   silu: σ(z)(1 + z(1−σ(z)))   elu: 1[z>0] + 1[z≤0](h+1)   tanh: 1 − h²
 * For ReLU and ELU, h > 0 exactly where z > 0, so h may stand in for z.
 *   gelu (tanh form, u = c(z + 0.044715z³)): ½(1 + tanh u) + ½z(1 − tanh²u)·c(1 + 3·0.044715z²)
 */
export function activationSlope(z: tf.Tensor, h: tf.Tensor, a: Activation): tf.Tensor {
  switch (a) {
    case "relu": return tf.step(z);
    case "silu": {
      const s = tf.sigmoid(z);
      return tf.mul(s, tf.add(1, tf.mul(z, tf.sub(1, s))));
    }
    case "elu": {
      const pos = tf.step(z);
      return tf.add(pos, tf.mul(tf.sub(1, pos), tf.add(h, 1)));
    }
    case "tanh": return tf.sub(1, tf.square(h));
    case "gelu": {
      const th = tf.tanh(tf.mul(tf.add(z, tf.mul(tf.pow(z, 3), 0.044715)), GELU_C));
      const du = tf.mul(tf.add(1, tf.mul(tf.square(z), 3 * 0.044715)), GELU_C);
      return tf.add(tf.mul(tf.add(1, th), 0.5), tf.mul(tf.mul(tf.mul(z, 0.5), tf.sub(1, tf.square(th))), du));
    }
  }
}

/**
 * Initial weights: kernels uniform on ±√(g/fan_in) (g = 6 for ReLU-like units, He et al. 2015; g = 3
 * otherwise, LeCun), biases zero, and the output layer zero so the first prediction is 0 (the mean of
 * every target).
 */
export function initialWeights(c: DenoiserConfig, rng: Rng): Float32Array[] {
  const gain = c.activation === "tanh" ? 3 : 6;
  return paramSpecs(c).map(({shape}, i, all) => {
    const w = new Float32Array(shape.reduce((a, b) => a * b, 1));
    const isOutput = i >= all.length - 2;
    if (shape.length === 2 && !isOutput) {
      const limit = Math.sqrt(gain / shape[0]);
      for (let j = 0; j < w.length; ++j) w[j] = (2 * rng() - 1) * limit;
    }
    return w;
  });
}

/**
 * An MLP denoiser: input [x_t, e(t)] → depth × (dense, activation) → dense → output [n, d] in the
 * units of `config.prediction`. Owns its variables and its embedding table; call dispose().
 */
export class MLPDenoiser {
  readonly config: Required<DenoiserConfig>;
  readonly specs: ParamSpec[];
  readonly params: tf.Variable[];
  readonly embedding: TimeEmbedding;
  /** 2π·B of the Fourier features [d, F], or null. */
  readonly fourier: tf.Tensor2D | null;
  /** The same in JS, row-major [d, F] (Float64), for inputRows. */
  private readonly fourierJs: Float64Array;
  /** Columns of the network's input: d + 2·fourierFeatures + embedDim. */
  readonly inputSize: number;

  /** weights: initial values in `paramSpecs` order (e.g. from `initialWeights` or a file). */
  constructor(config: DenoiserConfig, weights: Float32Array[]) {
    validateConfig(config);
    this.config = normalizeConfig(config);
    this.specs = paramSpecs(config);
    checkWeights(this.specs, weights);
    this.params = tf.tidy(() => this.specs.map(({shape}, i) => tf.variable(tf.tensor(weights[i], shape))));
    this.embedding = new TimeEmbedding({T: config.T, dim: config.embedDim, scale: this.config.embedScale});
    // 2π folded into B so the device computes sin(x·B'), cos(x·B') with one matmul.
    this.fourierJs = Float64Array.from(fourierMatrix(config), (b) => 2 * Math.PI * b);
    this.fourier = config.fourierFeatures ? tf.tensor2d(Float32Array.from(this.fourierJs), [config.d, config.fourierFeatures]) : null;
    this.inputSize = config.d + 2 * this.config.fourierFeatures + config.embedDim;
  }

  /**
   * The network's input rows computed in JS, [n, inputSize]: [x_t, sin 2πx_tB, cos 2πx_tB, e(t)] for
   * xt [n, d] (interleaved) at integer timesteps t [n]. What `input` computes on device (to float32
   * rounding), without the four kernels it takes there: a trainer that builds its batch in JS
   * uploads the rows whole.
   */
  inputRows(xt: ArrayLike<number>, t: ArrayLike<number>): Float32Array {
    const {d, fourierFeatures: F, embedDim: E} = this.config;
    const n = t.length, K = this.inputSize, B = this.fourierJs, table = this.embedding.values;
    const rows = new Float32Array(n * K);
    for (let i = 0; i < n; ++i) {
      const row = i * K;
      for (let j = 0; j < d; ++j) rows[row + j] = xt[i * d + j];
      for (let f = 0; f < F; ++f) {
        let phase = 0;
        for (let j = 0; j < d; ++j) phase += xt[i * d + j] * B[j * F + f];
        rows[row + d + f] = Math.sin(phase);
        rows[row + d + F + f] = Math.cos(phase);
      }
      const e = t[i] * E;
      for (let k = 0; k < E; ++k) rows[row + d + 2 * F + k] = table[e + k];
    }
    return rows;
  }

  /** The network's input [x_t, sin 2πx_tB, cos 2πx_tB, e(t)] for xt [n, d] and emb [n, embedDim]. */
  input(xt: tf.Tensor2D, emb: tf.Tensor2D): tf.Tensor2D {
    if (!this.fourier) return tf.concat([xt, emb], 1);
    const phase = tf.matMul(xt, this.fourier);
    return tf.concat([xt, tf.sin(phase) as tf.Tensor2D, tf.cos(phase) as tf.Tensor2D, emb], 1);
  }

  /**
   * Raw network output for xt [n, d] and embeddings emb [n, embedDim], using `params` (default: own),
   * written one op per line as the network is defined: the reference that the fused training pass
   * and the sampling path (SharedTimeNetwork) are tested against.
   */
  forward(xt: tf.Tensor2D, emb: tf.Tensor2D, params: readonly tf.Tensor[] = this.params): tf.Tensor2D {
    const {depth, activation, timeInput} = this.config;
    let a = this.input(xt, emb);
    for (let k = 0; ; ++k) {
      const z = tf.add(tf.matMul(a, params[2 * k] as tf.Tensor2D), params[2 * k + 1]) as tf.Tensor2D;
      if (k === depth) return z;
      const h = activate(z, activation) as tf.Tensor2D;
      a = timeInput === "every-layer" ? tf.concat([h, emb], 1) : h;
    }
  }

  /**
   * The forward pass from the network's input ([n, inputSize], from `input` or `inputRows`), keeping
   * what `backward` needs: the input a_k of every dense layer, the activation h_k of every hidden
   * layer, and its pre-activation z_k where the slope needs it. Each layer is one fused matmul + bias
   * (+ ReLU/ELU) kernel.
   */
  forwardWithCache(input: tf.Tensor2D, params: readonly tf.Tensor[] = this.params): ForwardCache {
    const {depth, activation, timeInput, embedDim: E} = this.config;
    const fused = FUSED_ACTIVATIONS.has(activation);
    const inputs: tf.Tensor2D[] = [], pre: tf.Tensor2D[] = [], post: tf.Tensor2D[] = [];
    const emb = timeInput === "every-layer" ? tf.slice(input, [0, this.inputSize - E], [-1, E]) : null;
    let a = input;
    for (let k = 0; ; ++k) {
      inputs.push(a);
      const [w, bias] = [params[2 * k] as tf.Tensor2D, params[2 * k + 1] as tf.Tensor1D];
      if (k === depth) return {out: tf.fused.matMul({a, b: w, bias}) as tf.Tensor2D, inputs, pre, post};
      let h: tf.Tensor2D;
      if (fused) h = tf.fused.matMul({a, b: w, bias, activation: activation as "relu" | "elu"}) as tf.Tensor2D;
      else {
        const z = tf.fused.matMul({a, b: w, bias}) as tf.Tensor2D;
        if (!SLOPE_FROM_OUTPUT.has(activation)) pre.push(z);
        h = activate(z, activation) as tf.Tensor2D;
      }
      post.push(h);
      a = emb ? tf.concat([h, emb], 1) : h;
    }
  }

  /**
   * Gradients of a loss L with respect to every parameter (in `params` order), given
   * dOut = ∂L/∂out and the cache of the forward pass that produced out. Backpropagation by hand:
   *   ∂L/∂W_k = a_kᵀ·δ_k,  ∂L/∂b_k = Σ_rows δ_k,  δ_{k−1} = (δ_k·W_kᵀ)[:, :width] ⊙ act'(z_{k−1}).
   * (The project's tfjs bundle registers no autodiff gradients, and for a plain MLP this is also
   * fewer kernel launches than tfjs's tape.)
   */
  backward(cache: ForwardCache, dOut: tf.Tensor2D, params: readonly tf.Tensor[] = this.params): tf.Tensor[] {
    const {depth, activation, width, timeInput} = this.config;
    const grads: tf.Tensor[] = new Array(params.length);
    let delta = dOut;
    for (let k = depth; k >= 0; --k) {
      grads[2 * k] = matMulT(cache.inputs[k], delta, true, false);
      grads[2 * k + 1] = sumRows(delta);
      if (k === 0) break;
      let da = matMulT(delta, params[2 * k] as tf.Tensor2D, false, true);
      if (timeInput === "every-layer") da = tf.slice(da, [0, 0], [-1, width]);
      const h = cache.post[k - 1];
      delta = tf.mul(da, activationSlope(SLOPE_FROM_OUTPUT.has(activation) ? h : cache.pre[k - 1], h, activation)) as tf.Tensor2D;
    }
    return grads;
  }

  /** Output at integer timesteps t (int32 [n]). */
  predict(xt: tf.Tensor2D, t: tf.Tensor1D, params?: readonly tf.Tensor[]): tf.Tensor2D {
    return tf.tidy(() => this.forward(xt, this.embedding.gather(t), params));
  }

  /** All weights read back to JS in one transfer, in `specs` order. */
  async exportWeights(): Promise<Float32Array[]> {
    return readTensors(this.params);
  }

  /** Replaces the weights. Checks every shape first: on a mismatch it throws and changes nothing. */
  importWeights(weights: Float32Array[]): void {
    checkWeights(this.specs, weights);
    tf.tidy(() => this.params.forEach((v, i) => v.assign(tf.tensor(weights[i], this.specs[i].shape))));
  }

  dispose(): void {
    tf.dispose(this.params);
    this.embedding.dispose();
    this.fourier?.dispose();
  }
}

/** Reads several tensors back with a single `await data()` and splits the result. */
export async function readTensors(tensors: readonly tf.Tensor[]): Promise<Float32Array[]> {
  if (tensors.length === 0) return [];
  const flat = tf.tidy(() => tf.concat(tensors.map((t) => tf.reshape(t, [-1]))));
  const all = (await flat.data()) as Float32Array;
  flat.dispose();
  const out: Float32Array[] = [];
  let offset = 0;
  for (const t of tensors) {
    out.push(all.slice(offset, offset + t.size));
    offset += t.size;
  }
  return out;
}

/*
 * Conversions between the three parameterisations, per row, given sa = √ᾱ_t and so = √(1−ᾱ_t)
 * (tensors [n, 1] or scalars). From x_t = sa·x0 + so·ε and v = sa·ε − so·x0 (Salimans & Ho 2022, §4):
 *   ε  = (x_t − sa·x0)/so      = so·x_t + sa·v
 *   x0 = (x_t − so·ε)/sa       = sa·x_t − so·v
 */

/** ε̂ from a network output in `prediction` units. */
export function epsFromOutput(out: tf.Tensor, xt: tf.Tensor, sa: tf.Tensor | number, so: tf.Tensor | number, prediction: Prediction): tf.Tensor {
  return tf.tidy(() => {
    switch (prediction) {
      case "eps": return tf.clone(out);
      case "x0": return tf.div(tf.sub(xt, tf.mul(sa, out)), so);
      case "v": return tf.add(tf.mul(so, xt), tf.mul(sa, out));
    }
  });
}

/** x̂0 from a network output in `prediction` units. */
export function x0FromOutput(out: tf.Tensor, xt: tf.Tensor, sa: tf.Tensor | number, so: tf.Tensor | number, prediction: Prediction): tf.Tensor {
  return tf.tidy(() => {
    switch (prediction) {
      case "eps": return tf.div(tf.sub(xt, tf.mul(so, out)), sa);
      case "x0": return tf.clone(out);
      case "v": return tf.sub(tf.mul(sa, xt), tf.mul(so, out));
    }
  });
}

/** The regression target for `prediction` given the clean x0 and the noise ε that made x_t. */
export function targetFor(prediction: Prediction, x0: tf.Tensor, eps: tf.Tensor, sa: tf.Tensor | number, so: tf.Tensor | number): tf.Tensor {
  return tf.tidy(() => {
    switch (prediction) {
      case "eps": return tf.clone(eps);
      case "x0": return tf.clone(x0);
      case "v": return tf.sub(tf.mul(sa, eps), tf.mul(so, x0));
    }
  });
}
