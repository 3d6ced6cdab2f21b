// Ops whose gradients are written out for speed on the wasm backend. tfjs's automatic gradients of
// a matrix product, a layer norm or a broadcast add reduce over leading axes or multiply by a
// transposed operand of many rows; the wasm backend's BatchMatMul runs a product with a transposed
// operand 5–20× slower than a plain one, and its Sum over a leading axis several times slower than
// over the last. Here every reduction over rows is a product with a row of ones and every transpose
// is explicit, which halved the time of a training step of the latent denoiser
// (scripts/latent-sweep.ts --profile). Forward values are exactly tfjs's. A gradient function
// never returns the incoming ∂y itself (tfjs disposes it after the call): it returns a clone.
import * as tf from "../../vendor/tfjs.js";

type Save = (tensors: tf.Tensor[]) => void;

/** Σ over the rows of t [M, d] → [d], as 1ᵀ·t (a plain product). */
export function sumRows(t: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(tf.matMul(tf.ones([1, t.shape[0]]), t), [t.shape[1]]);
}

/**
 * y = x·W + b for x [M, nIn], W [nIn, nOut], b [nOut]; gradients ∂x = ∂y·Wᵀ, ∂W = xᵀ·∂y,
 * ∂b = 1ᵀ·∂y, each a plain product.
 */
export const affine = tf.customGrad((...args: unknown[]) => {
  const [x, w, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, Save];
  save([x, w]);
  return {
    value: tf.fused.matMul({a: x, b: w, bias: b}),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      const d = dy as tf.Tensor2D;
      return [tf.matMul(d, tf.transpose(ws)), tf.matMul(tf.transpose(xs), d), sumRows(d)];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;

/**
 * Layer norm over the last axis of x [M, d] (Ba, Kiros & Hinton 2016):
 *   x̂ = (x − μ)/√(σ² + ε),  y = g·x̂ + b,
 * with the standard gradient ∂x = (∂x̂ − mean(∂x̂) − x̂·mean(∂x̂·x̂))/√(σ² + ε), ∂x̂ = g·∂y,
 * ∂g = 1ᵀ·(∂y·x̂), ∂b = 1ᵀ·∂y.
 */
export const layerNorm2d = tf.customGrad((...args: unknown[]) => {
  const [x, g, b, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, Save];
  const centred = tf.sub(x, tf.mean(x, -1, true));
  const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(centred), -1, true), 1e-5));
  const xhat = tf.mul(centred, rstd) as tf.Tensor2D;
  save([xhat, rstd, g]);
  return {
    value: tf.add(tf.mul(xhat, g), b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xh, rs, gs] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
      const dxhat = tf.mul(dy, gs);
      const dx = tf.mul(tf.sub(tf.sub(dxhat, tf.mean(dxhat, -1, true)), tf.mul(xh, tf.mean(tf.mul(dxhat, xh), -1, true))), rs);
      return [dx, sumRows(tf.mul(dy, xh) as tf.Tensor2D), sumRows(dy as tf.Tensor2D)];
    },
  };
}) as (x: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D) => tf.Tensor2D;

/** x [B, N, d] + v [N, d] (the same v for every item of the batch); ∂v = Σ_B ∂y as 1ᵀ·∂y. */
export const addPerItem = tf.customGrad((...args: unknown[]) => {
  const [x, v] = args as [tf.Tensor3D, tf.Tensor2D, Save];
  return {
    value: tf.add(x, v),
    gradFunc: (dy: tf.Tensor) => {
      const [B, N, d] = dy.shape;
      return [tf.clone(dy), tf.reshape(sumRows(tf.reshape(dy, [B, N * d]) as tf.Tensor2D), [N, d])];
    },
  };
}) as (x: tf.Tensor3D, v: tf.Tensor2D) => tf.Tensor3D;

/** x [B, N, d] + s [B, d] (one vector per item, added to each of its N tokens); ∂s = Σ_N ∂y. */
export const addPerToken = tf.customGrad((...args: unknown[]) => {
  const [x, s] = args as [tf.Tensor3D, tf.Tensor2D, Save];
  return {
    value: tf.add(x, tf.expandDims(s, 1)),
    gradFunc: (dy: tf.Tensor) => {
      const [B, N, d] = dy.shape;
      return [tf.clone(dy), tf.reshape(tf.matMul(tf.ones([B, 1, N]), dy as tf.Tensor3D), [B, d])];
    },
  };
}) as (x: tf.Tensor3D, s: tf.Tensor2D) => tf.Tensor3D;
