// The text-conditioned denoiser: a small transformer over the tokens of an image (the cells of the
// 4×4 latent, or patches of pixels) whose every block reads the caption through cross-attention, as
// Stable Diffusion's U-Net does (Rombach et al. 2022, §3.3: Q from the image features, K and V from
// the text encoder). Time enters as a sinusoidal embedding through an MLP, added in every block.
import * as tf from "../../vendor/tfjs.js";
import {attention, attentionSpecs, crossKeys, dense, denseSpecs, layerNorm, mlp, mlpSpecs, normSpecs, silu, type ParamSpec, type Params} from "./layers.js";
import {addPerItem, addPerToken} from "./fast-ops.js";
import {encodeText, textEncoderSpecs, type TextEncoderConfig} from "./text-encoder.js";

/** Shape of a denoiser and its text encoder. */
export interface DenoiserNetConfig {
  /** Image tokens N and values per token (latent channels, or pixels·3 of a patch). */
  tokens: number;
  channels: number;
  /** Model width d, transformer blocks and attention heads. */
  width: number;
  depth: number;
  heads: number;
  /**
   * How the image tokens of a block exchange information: self-attention, an MLP across the tokens
   * (MLP-Mixer's token mixing, Tolstikhin et al. 2021: fixed weights per pair of positions, a third
   * of the cost here), or not at all (they then meet only through the text).
   */
  mixing: "attention" | "mlp" | "none";
  /** Width of the time embedding table. */
  timeDim: number;
  text: TextEncoderConfig;
}

/** Every parameter, in a fixed order: text encoder, input, time MLP, blocks, output. */
export function denoiserSpecs(c: DenoiserNetConfig): ParamSpec[] {
  const d = c.width;
  const specs: ParamSpec[] = [
    ...textEncoderSpecs(c.text),
    ...denseSpecs("in", c.channels, d),
    {name: "pos", shape: [c.tokens, d], init: {kind: "normal", std: 0.5}},
    ...denseSpecs("time.1", c.timeDim, d),
    ...denseSpecs("time.2", d, d),
  ];
  for (let i = 0; i < c.depth; ++i) {
    specs.push(...denseSpecs(`b${i}.t`, d, d, {gain: 0.5}));
    if (c.mixing === "attention") specs.push(...normSpecs(`b${i}.ln0`, d), ...attentionSpecs(`b${i}.self`, d, {self: true}));
    if (c.mixing === "mlp") specs.push(...normSpecs(`b${i}.ln0`, d), ...mlpSpecs(`b${i}.tok`, c.tokens, 2 * c.tokens));
    specs.push(...normSpecs(`b${i}.ln1`, d), ...attentionSpecs(`b${i}.cross`, d, {contextDim: c.text.width}));
    specs.push(...normSpecs(`b${i}.ln2`, d), ...mlpSpecs(`b${i}.mlp`, d, 2 * d));
  }
  specs.push(...normSpecs("out.ln", d), ...denseSpecs("out", d, c.channels, {zero: true}));
  return specs;
}

/**
 * What the caption contributes to an evaluation: the keys and values of every block's
 * cross-attention (computed from the text encoder's features) and the padding mask. It depends on
 * the caption alone, so a sampling run computes it once for all its steps.
 */
export interface Conditioning {
  keys: [tf.Tensor3D, tf.Tensor3D][];
  /** [B, 1, L]: 0, or −1e9 at padding. */
  mask: tf.Tensor;
}

/** The conditioning of captions given as ids [B, L] (int32) and their padding mask [B, 1, L]. */
export function conditioning(p: Params, c: DenoiserNetConfig, ids: tf.Tensor2D, mask: tf.Tensor): Conditioning {
  const text = encodeText(p, c.text, ids, mask);
  return {keys: Array.from({length: c.depth}, (_, i) => crossKeys(p, `b${i}.cross`, text)), mask};
}

/** What the network sees: noisy tokens, timestep embeddings and the captions' conditioning. */
export interface DenoiserInput {
  /** x_t: [B, N, channels]. */
  x: tf.Tensor3D;
  /** Rows of the time table: [B, timeDim] (gathered by the caller from an integer t). */
  time: tf.Tensor2D;
  cond: Conditioning;
}

/**
 * The network's prediction [B, N, channels] and, if `withAttention`, each block's cross-attention
 * weights [B, heads, N, L] (each row sums to 1 over the caption's tokens).
 */
export function denoiserForward(p: Params, c: DenoiserNetConfig, input: DenoiserInput, withAttention = false): {out: tf.Tensor3D; attention: tf.Tensor4D[]} {
  const temb = dense(p, "time.2", silu(dense(p, "time.1", input.time)));
  const embT = silu(temb);
  let h = addPerItem(dense(p, "in", input.x) as tf.Tensor3D, p.pos as tf.Tensor2D);
  const maps: tf.Tensor4D[] = [];
  for (let i = 0; i < c.depth; ++i) {
    h = addPerToken(h, dense(p, `b${i}.t`, embT) as tf.Tensor2D);
    if (c.mixing === "attention") {
      const n = layerNorm(p, `b${i}.ln0`, h) as tf.Tensor3D;
      h = tf.add(h, attention(p, `b${i}.self`, n, null, null, c.heads).out) as tf.Tensor3D;
    } else if (c.mixing === "mlp") {
      const across = tf.transpose(layerNorm(p, `b${i}.ln0`, h), [0, 2, 1]);
      h = tf.add(h, tf.transpose(mlp(p, `b${i}.tok`, across), [0, 2, 1])) as tf.Tensor3D;
    }
    const cross = attention(p, `b${i}.cross`, layerNorm(p, `b${i}.ln1`, h) as tf.Tensor3D, input.cond.keys[i], input.cond.mask, c.heads);
    if (withAttention) maps.push(cross.weights);
    h = tf.add(h, cross.out) as tf.Tensor3D;
    h = tf.add(h, mlp(p, `b${i}.mlp`, layerNorm(p, `b${i}.ln2`, h))) as tf.Tensor3D;
  }
  return {out: dense(p, "out", layerNorm(p, "out.ln", h)) as tf.Tensor3D, attention: maps};
}
