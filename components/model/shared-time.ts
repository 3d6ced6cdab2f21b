// The MLP denoiser evaluated on a batch of points that all share one timestep, as every sampler
// step asks: the time embedding's contribution to a layer, e(t)·W_e, is then one row vector, so it
// is folded into that layer's bias instead of being tiled to n rows and multiplied n times.
import * as tf from "../vendor/tfjs.js";
import {activate, type MLPDenoiser} from "./denoiser.js";

/** Activations tfjs fuses into a matmul on every backend (wasm, webgl, webgpu, cpu). */
const FUSED: ReadonlySet<string> = new Set(["relu", "elu"]);

interface Layer {
  /** Rows of W_k for the layer's inputs other than e(t): [in, out]. */
  w: tf.Tensor2D;
  /** Rows of W_k for e(t), [embedDim, out], or null when the layer does not read e(t). */
  wTime: tf.Tensor2D | null;
  b: tf.Tensor1D;
}

/**
 * A view of `model` with `params` (e.g. its EMA shadow) for batches that share one timestep. Layer k
 * computes act(a·W_k + b_k + e(t)·W_ke), W_k being the rows of its non-time inputs and W_ke those of
 * the embedding (paramSpecs puts e(t) last in every layer that reads it). The same function as
 * model.forward(x, e(t) tiled to n rows), summed in another order: outputs differ by float32 rounding.
 * Owns the sliced weights (2 tensors per layer that reads e(t)); call dispose().
 */
export class SharedTimeNetwork {
  readonly model: MLPDenoiser;
  private readonly layers: Layer[];
  private readonly owned: tf.Tensor[] = [];

  constructor(model: MLPDenoiser, params: readonly tf.Tensor[] = model.params) {
    this.model = model;
    const {depth, embedDim: E, timeInput} = model.config;
    this.layers = Array.from({length: depth + 1}, (_, k) => {
      const w = params[2 * k] as tf.Tensor2D, b = params[2 * k + 1] as tf.Tensor1D;
      if (k > 0 && timeInput !== "every-layer") return {w, wTime: null, b};
      const rows = w.shape[0] - E;
      const layer = {w: tf.slice(w, [0, 0], [rows, -1]), wTime: tf.slice(w, [rows, 0], [E, -1]), b};
      this.owned.push(layer.w, layer.wTime);
      return layer;
    });
  }

  /**
   * Raw network output (in `prediction` units), [n, d], for xt [n, d] at fractional timestep
   * t ∈ [0, T−1], e(t) interpolated between table rows as TimeEmbedding.atFractional does.
   * Call inside tf.tidy.
   */
  forward(xt: tf.Tensor2D, t: number): tf.Tensor2D {
    const {depth, activation} = this.model.config;
    const {embedding, fourier} = this.model;
    const e = tf.tensor2d(embedding.rowAt(t), [1, embedding.dim]);
    let a: tf.Tensor2D = xt;
    if (fourier) {
      const phase = tf.matMul(xt, fourier);
      a = tf.concat([xt, tf.sin(phase) as tf.Tensor2D, tf.cos(phase) as tf.Tensor2D], 1);
    }
    const fused = FUSED.has(activation);
    for (let k = 0; ; ++k) {
      const {w, wTime, b} = this.layers[k];
      // Adding b makes a fresh rank-1 tensor: wasm's fused matmul reads the bias's rank off its
      // data, which a reshape shares with the [1, out] product.
      const bias = wTime ? (tf.add(tf.reshape(tf.matMul(e, wTime), [-1]), b) as tf.Tensor1D) : b;
      if (k === depth) return tf.fused.matMul({a, b: w, bias}) as tf.Tensor2D;
      const z = tf.fused.matMul({a, b: w, bias, activation: fused ? (activation as "relu" | "elu") : "linear"}) as tf.Tensor2D;
      a = fused ? z : (activate(z, activation) as tf.Tensor2D);
    }
  }

  dispose(): void {
    tf.dispose(this.owned);
  }
}
