// The MLP denoiser evaluated on a batch of points that all share one timestep, as every sampler
// step asks: the time embedding's contribution to a layer, e(t)·W_e, is then one row vector, so it
// is folded into that layer's bias instead of being tiled to n rows and multiplied n times.
import * as tf from "../vendor/tfjs.js";
import {activate, readTensors, type MLPDenoiser} from "./denoiser.js";

/** Activations tfjs fuses into a matmul on every backend (wasm, webgl, webgpu, cpu). */
const FUSED: ReadonlySet<string> = new Set(["relu", "elu"]);

interface Layer {
  /** Rows of W_k for the layer's inputs other than e(t), as [1, in, out] (see `dense`). */
  w: tf.Tensor3D;
  /** Rows of W_k for e(t), [embedDim, out], or null when the layer does not read e(t). */
  wTime: tf.Tensor2D | null;
  b: tf.Tensor1D;
}

/**
 * act(a·w + bias) for a [1, n, in], w [1, in, out] and bias [out]: one _FusedMatMul kernel, [1, n, out].
 * tf.fused.matMul launches the same kernel but reshapes a, w and the product to and from rank 3 and
 * wraps them in a gradient scope: five profile entries a layer instead of one. Rank 3 throughout,
 * sampling needs none of that. The bias must own its data as rank 1 (wasm reads the rank off the
 * data, which a reshape shares with its source).
 */
export function dense(a: tf.Tensor3D, w: tf.Tensor3D, bias: tf.Tensor1D, activation: "linear" | "relu" | "elu" = "linear"): tf.Tensor3D {
  return tf.engine().runKernel("_FusedMatMul", {a, b: w, bias}, {transposeA: false, transposeB: false, activation}) as tf.Tensor3D;
}

/**
 * Every layer's bias at one timestep, b_k + e(t)·W_ke, for the layers that read e(t) (index k);
 * undefined for the others, which keep b_k. Made for a whole run at once by
 * {@link SharedTimeNetwork.readBiases} and {@link SharedTimeNetwork.uploadBiases}.
 */
export type TimeBiases = readonly (tf.Tensor1D | undefined)[];

/**
 * A view of `model` with `params` (e.g. its EMA shadow) for batches that share one timestep. Layer k
 * computes act(a·W_k + b_k + e(t)·W_ke), W_k being the rows of its non-time inputs and W_ke those of
 * the embedding (paramSpecs puts e(t) last in every layer that reads it). The same function as
 * model.forward(x, e(t) tiled to n rows), summed in another order: outputs differ by float32 rounding.
 * Points are rows of a [1, n, ·] tensor inside (one kernel a layer, see `dense`). Owns the sliced and
 * reshaped weights; call dispose().
 */
export class SharedTimeNetwork {
  readonly model: MLPDenoiser;
  private readonly layers: Layer[];
  private readonly owned: tf.Tensor[] = [];
  /**
   * The Fourier matrix as [1, d, F]: 2πB, or on wasm πB for the half-angle form (see `features`).
   * Chosen when the network is made, as the backend its tensors live on.
   */
  private readonly fourier: tf.Tensor3D | null;
  private readonly halfAngle: boolean;

  constructor(model: MLPDenoiser, params: readonly tf.Tensor[] = model.params) {
    this.model = model;
    const {depth, embedDim: E, timeInput} = model.config;
    const {fourier} = model;
    this.halfAngle = !!fourier && tf.getBackend() === "wasm";
    /** `t` viewed as [1, …shape]; a `fresh` source (a slice) is freed, its data staying with the view. */
    const view = (t: tf.Tensor2D, fresh: boolean): tf.Tensor3D => {
      const v = tf.reshape(t, [1, t.shape[0], t.shape[1]]) as tf.Tensor3D;
      if (fresh) t.dispose();
      this.owned.push(v);
      return v;
    };
    this.layers = Array.from({length: depth + 1}, (_, k): Layer => {
      const w = params[2 * k] as tf.Tensor2D, b = params[2 * k + 1] as tf.Tensor1D;
      if (k > 0 && timeInput !== "every-layer") return {w: view(w, false), wTime: null, b};
      const rows = w.shape[0] - E, wTime = tf.slice(w, [rows, 0], [E, -1]);
      this.owned.push(wTime);
      return {w: view(tf.slice(w, [0, 0], [rows, -1]), true), wTime, b};
    });
    this.fourier = fourier && (this.halfAngle ? view(tf.mul(fourier, 0.5) as tf.Tensor2D, true) : view(fourier, false));
  }

  /**
   * The network's input without e(t), [1, n, d + 2F (+ classes)]: [x_t, sin φ, cos φ (, onehot)] with
   * φ = x_t·2πB. On wasm, sin and cos are scalar libm loops (~80 ns an element: for 2,000 points and
   * F = 16 they were half of a sampling step), while tan is ~3× cheaper and the rest are SIMD kernels;
   * so there they come from u = tan(φ/2) by the half-angle identities
   *   sin φ = 2u/(1+u²) = u·r,  cos φ = (1−u²)/(1+u²) = r − 1,  r = 2/(1+u²),
   * no less accurate in float32 (max error over φ ∈ [−40, 40]: 1.4e-7 and 1.8e-7, against 2.4e-7 and
   * 3.1e-7 for wasm's sin and cos). Near φ = π, u grows large and r small together, and no float32 φ
   * makes u overflow.
   */
  private features(x: tf.Tensor3D, onehot?: tf.Tensor2D | tf.Tensor3D): tf.Tensor3D {
    const {classes} = this.model.config;
    let a = x;
    if (this.fourier && this.halfAngle) {
      const u = tf.tan(tf.matMul(x, this.fourier));
      const r = tf.div(2, tf.add(tf.square(u), 1));
      a = tf.concat([x, tf.mul(u, r) as tf.Tensor3D, tf.sub(r, 1) as tf.Tensor3D], 2);
    } else if (this.fourier) {
      const phase = tf.matMul(x, this.fourier);
      a = tf.concat([x, tf.sin(phase) as tf.Tensor3D, tf.cos(phase) as tf.Tensor3D], 2);
    }
    if (classes) {
      const rows = !onehot ? tf.zeros([1, x.shape[1], classes]) : onehot.rank === 3 ? onehot : tf.reshape(onehot, [1, onehot.shape[0], classes]);
      a = tf.concat([a, rows as tf.Tensor3D], 2);
    }
    return a;
  }

  /**
   * The last hidden layer's activation, [1, n, width], for the points xt ([n, d], or [1, n, d] as
   * samplers keep them) at fractional timestep t ∈ [0, T−1] (e(t) interpolated between table rows as
   * TimeEmbedding.atFractional does) or with the biases `uploadBiases` made for that t, and for a
   * conditional network the class rows onehot [n, classes] or [1, n, classes] (absent: the null
   * class, zeros). The output is dense(h, last.w, last.b) with the output layer's bias at t. Call
   * inside tf.tidy.
   */
  hidden(xt: tf.Tensor2D | tf.Tensor3D, t: number | TimeBiases, onehot?: tf.Tensor2D | tf.Tensor3D): tf.Tensor3D {
    return this.hiddenAt(xt, this.at(t), onehot);
  }

  /** The output layer, [width, d] (rows of e(t) aside) and its own bias [d]. */
  get last(): {w: tf.Tensor3D; b: tf.Tensor1D} {
    return this.layers[this.model.config.depth];
  }

  /**
   * Raw network output (in `prediction` units), [n, d], for xt [n, d] at fractional timestep
   * t ∈ [0, T−1] or with the biases made for it, and for a conditional network the class rows
   * onehot [n, classes] (see `hidden`). Call inside tf.tidy.
   */
  forward(xt: tf.Tensor2D, t: number | TimeBiases, onehot?: tf.Tensor2D): tf.Tensor2D {
    const at = this.at(t), {depth, d} = this.model.config;
    return tf.reshape(dense(this.hiddenAt(xt, at, onehot), this.layers[depth].w, this.bias(depth, at)), [-1, d]);
  }

  /** The embedding row e(t) as a [1, E] tensor, or the biases already made for t. */
  private at(t: number | TimeBiases): tf.Tensor2D | TimeBiases {
    const {embedding} = this.model;
    return typeof t === "number" ? tf.tensor2d(embedding.rowAt(t), [1, embedding.dim]) : t;
  }

  private hiddenAt(xt: tf.Tensor2D | tf.Tensor3D, at: tf.Tensor2D | TimeBiases, onehot?: tf.Tensor2D | tf.Tensor3D): tf.Tensor3D {
    const {depth, activation} = this.model.config;
    const fused = FUSED.has(activation);
    let a = this.features(xt.rank === 3 ? (xt as tf.Tensor3D) : tf.reshape(xt, [1, xt.shape[0], xt.shape[1]]), onehot);
    for (let k = 0; k < depth; ++k) {
      const z = dense(a, this.layers[k].w, this.bias(k, at), fused ? (activation as "relu" | "elu") : "linear");
      a = fused ? z : (activate(z, activation) as tf.Tensor3D);
    }
    return a;
  }

  /** Layer k's bias: b_k + e·W_ke on the device from the embedding row e [1, E], or made before. */
  private bias(k: number, at: tf.Tensor2D | TimeBiases): tf.Tensor1D {
    const {wTime, b} = this.layers[k];
    if (!wTime) return b;
    if (!(at instanceof tf.Tensor)) return at[k]!;
    const e = at;
    // Adding b makes a fresh rank-1 tensor: wasm's fused matmul reads the bias's rank off its
    // data, which a reshape shares with the [1, out] product.
    return tf.add(tf.reshape(tf.matMul(e, wTime), [-1]), b) as tf.Tensor1D;
  }

  /**
   * Every layer's bias at each timestep of `ts` (fractional, as `hidden` reads them), in Float64 from
   * one readback: b_k + e(t)·W_ke for the layers that read e(t), b_k for the others. A sampler makes
   * its whole grid's biases before its loop (`uploadBiases`), so that no step spends kernels on the
   * time embedding, and folds its update into the output layer's row.
   */
  async readBiases(ts: readonly number[]): Promise<Float64Array[][]> {
    const {embedding} = this.model;
    const values = await readTensors(this.layers.flatMap((l) => (l.wTime ? [l.b, l.wTime] : [l.b])));
    let next = 0;
    const layers = this.layers.map((l) => ({b: values[next++], w: l.wTime ? values[next++] : null}));
    return ts.map((t) => {
      const e = embedding.rowAt(t);
      return layers.map(({b, w}) => {
        const row = Float64Array.from(b), out = b.length;
        if (w) for (let i = 0; i < e.length; ++i) for (let c = 0; c < out; ++c) row[c] += e[i] * w[i * out + c];
        return row;
      });
    });
  }

  /** One timestep's biases (a `readBiases` row) as tensors for `hidden`/`forward`; the caller disposes them. */
  uploadBiases(rows: readonly Float64Array[]): TimeBiases {
    return this.layers.map((l, k) => (l.wTime ? tf.tensor1d(Float32Array.from(rows[k])) : undefined));
  }

  dispose(): void {
    tf.dispose(this.owned);
  }
}
