// The building blocks of the latent-diffusion chapter's networks: named parameters with seeded
// initial values, and the layers (dense, layer norm, attention, MLP) as plain functions of tensors.
// Gradients come from tfjs's autodiff (the vendored bundle registers the gradient kernels); every
// op here has a wasm kernel for itself and for its gradient (there is no Conv2DBackpropFilter on
// wasm, which is why the networks patchify and use matrix products instead of convolutions).
import * as tf from "../../vendor/tfjs.js";
import {affine, layerNorm2d} from "./fast-ops.js";
import {normalFrom} from "../../math/random.js";
import type {Rng} from "../../math/types.js";

/** How a parameter starts: zeros, ones, or N(0, std²) (`fanIn`: std = gain/√(first dimension)). */
export type Init = {kind: "zeros"} | {kind: "ones"} | {kind: "normal"; std: number} | {kind: "fanIn"; gain: number};

/** A named parameter tensor. */
export interface ParamSpec {
  name: string;
  shape: number[];
  init: Init;
}

/** Parameters by name, as the forward functions read them. */
export type Params = Record<string, tf.Tensor>;

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Initial values in spec order, drawn in JS from `rng` so every backend starts from the same numbers. */
export function initialValues(specs: readonly ParamSpec[], rng: Rng): Float32Array[] {
  const normal = normalFrom(rng);
  return specs.map(({shape, init}) => {
    const out = new Float32Array(size(shape));
    if (init.kind === "ones") out.fill(1);
    else if (init.kind === "normal" || init.kind === "fanIn") {
      const std = init.kind === "normal" ? init.std : init.gain / Math.sqrt(shape[0]);
      for (let i = 0; i < out.length; ++i) out[i] = std * normal();
    }
    return out;
  });
}

/** Specs of a dense layer `name`: w [nIn, nOut] (He-style fan-in init, or zeros) and b [nOut]. */
export function denseSpecs(name: string, nIn: number, nOut: number, {gain = 1, zero = false} = {}): ParamSpec[] {
  return [
    {name: `${name}.w`, shape: [nIn, nOut], init: zero ? {kind: "zeros"} : {kind: "fanIn", gain}},
    {name: `${name}.b`, shape: [nOut], init: {kind: "zeros"}},
  ];
}

/** Specs of a layer norm `name` over `d` features: gain g (ones) and bias b (zeros). */
export function normSpecs(name: string, d: number): ParamSpec[] {
  return [
    {name: `${name}.g`, shape: [d], init: {kind: "ones"}},
    {name: `${name}.b`, shape: [d], init: {kind: "zeros"}},
  ];
}

/** x·W + b over the last axis of x ([..., nIn] → [..., nOut]). */
export function dense(p: Params, name: string, x: tf.Tensor): tf.Tensor {
  const w = p[`${name}.w`] as tf.Tensor2D;
  const lead = x.shape.slice(0, -1);
  const y = affine(tf.reshape(x, [-1, w.shape[0]]) as tf.Tensor2D, w, p[`${name}.b`] as tf.Tensor1D);
  return lead.length === 1 ? y : tf.reshape(y, [...lead, w.shape[1]]);
}

/** Layer norm over the last axis (Ba, Kiros & Hinton 2016): g·(x − mean)/√(var + 1e-5) + b. */
export function layerNorm(p: Params, name: string, x: tf.Tensor): tf.Tensor {
  const d = x.shape[x.shape.length - 1];
  return tf.reshape(layerNorm2d(tf.reshape(x, [-1, d]) as tf.Tensor2D, p[`${name}.g`] as tf.Tensor1D, p[`${name}.b`] as tf.Tensor1D), x.shape);
}

/** SiLU(x) = x·σ(x) (Elfwing et al. 2018; Stable Diffusion's U-Net uses it throughout). */
export const silu = (x: tf.Tensor): tf.Tensor => tf.mul(x, tf.sigmoid(x));

/** Specs of a two-layer MLP `name`: d → hidden → d, the output layer zero-initialised (a residual branch starts as identity). */
export function mlpSpecs(name: string, d: number, hidden: number): ParamSpec[] {
  return [...denseSpecs(`${name}.in`, d, hidden), ...denseSpecs(`${name}.out`, hidden, d, {zero: true})];
}

/** The MLP of mlpSpecs: W₂·SiLU(W₁x + b₁) + b₂. */
export function mlp(p: Params, name: string, x: tf.Tensor): tf.Tensor {
  return dense(p, `${name}.out`, silu(dense(p, `${name}.in`, x)));
}

/**
 * Specs of an attention layer `name` with model width d: the query projection, the key and value
 * projections as one [contextDim, 2d] matrix (one product instead of two), and the output projection.
 * For self-attention (`self`), query, key and value are one [d, 3d] matrix.
 */
export function attentionSpecs(name: string, d: number, {contextDim = d, self = false} = {}): ParamSpec[] {
  return [
    ...(self ? denseSpecs(`${name}.qkv`, d, 3 * d) : [...denseSpecs(`${name}.q`, d, d), ...denseSpecs(`${name}.kv`, contextDim, 2 * d)]),
    ...denseSpecs(`${name}.o`, d, d, {zero: true}),
  ];
}

/**
 * Keys and values of a cross-attention layer `name` from its context [B, L, dc] (the text
 * features): one product, split in two. They depend on the context alone, so a sampling run
 * computes them once for all its steps.
 */
export function crossKeys(p: Params, name: string, context: tf.Tensor3D): [tf.Tensor3D, tf.Tensor3D] {
  const [k, v] = tf.split(dense(p, `${name}.kv`, context), 2, -1);
  return [k as tf.Tensor3D, v as tf.Tensor3D];
}

/**
 * Scaled dot-product attention (Vaswani et al. 2017, eq. 1) with `heads` heads:
 *   A = softmax(Q·Kᵀ/√d_head + mask),  out = A·V, then the output projection.
 * x: [B, N, d] (queries); keys: [K, V] each [B, L, d] (crossKeys of the context), or null for
 * self-attention; mask: [B, 1, L] of 0 (attend) or a large negative number (padding), or null.
 * Returns the output [B, N, d] and the weights A [B, heads, N, L], each row summing to 1 over L.
 */
export function attention(p: Params, name: string, x: tf.Tensor3D, keys: [tf.Tensor3D, tf.Tensor3D] | null, mask: tf.Tensor | null, heads: number): {out: tf.Tensor3D; weights: tf.Tensor4D} {
  const [B, N, d] = x.shape;
  const L = keys ? keys[0].shape[1] : N;
  const dh = d / heads;
  const split = (t: tf.Tensor, n: number) => (heads === 1 ? tf.reshape(t, [B, 1, n, dh]) : tf.transpose(tf.reshape(t, [B, n, heads, dh]), [0, 2, 1, 3]));
  let q: tf.Tensor, k: tf.Tensor, v: tf.Tensor;
  if (keys) {
    q = dense(p, `${name}.q`, x);
    [k, v] = keys;
  } else {
    [q, k, v] = tf.split(dense(p, `${name}.qkv`, x), 3, -1);
  }
  let logits = tf.mul(tf.matMul(split(q, N), split(k, L), false, true), 1 / Math.sqrt(dh));
  if (mask) logits = tf.add(logits, tf.reshape(mask, [B, 1, 1, L]));
  const weights = tf.softmax(logits) as tf.Tensor4D;
  const mixed = tf.matMul(weights, split(v, L));
  const merged = heads === 1 ? tf.reshape(mixed, [B, N, d]) : tf.reshape(tf.transpose(mixed, [0, 2, 1, 3]), [B, N, d]);
  return {out: dense(p, `${name}.o`, merged) as tf.Tensor3D, weights};
}

/**
 * Sinusoidal embedding of a diffusion time (Vaswani et al. 2017 §3.5, as DDPM's U-Net uses it):
 * [sin(t·ω_k), cos(t·ω_k)] with ω_k = 1/10000^(k/(dim/2)), for every integer t in [0, T), as a
 * JS table to gather from (tf.sin of large arguments is inexact on GPU backends).  → [T, dim]
 */
export function timeTable(T: number, dim: number): Float32Array {
  const half = dim / 2, out = new Float32Array(T * dim);
  for (let t = 0; t < T; ++t) {
    for (let k = 0; k < half; ++k) {
      const angle = t * Math.pow(10000, -k / half);
      out[t * dim + k] = Math.sin(angle);
      out[t * dim + half + k] = Math.cos(angle);
    }
  }
  return out;
}
