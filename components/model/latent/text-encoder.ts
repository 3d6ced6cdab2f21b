// The text encoder: a caption's token ids → one feature vector per token, for the denoiser's
// cross-attention to read. Stable Diffusion uses CLIP's frozen 12-layer transformer; here a small
// transformer layer learns jointly with the denoiser, standing in for it.
import * as tf from "../../vendor/tfjs.js";
import {attention, attentionSpecs, layerNorm, mlp, mlpSpecs, normSpecs, type ParamSpec, type Params} from "./layers.js";

/** Shape of a text encoder: vocabulary size, token slots per caption and feature width. */
export interface TextEncoderConfig {
  vocab: number;
  maxTokens: number;
  width: number;
  heads: number;
  /** Whether tokens attend to each other (a transformer layer) or are encoded one by one (embedding and MLP). */
  selfAttention: boolean;
}

/** Parameters under `text.`: token embeddings [vocab, width], one self-attention layer and an MLP. */
export function textEncoderSpecs(c: TextEncoderConfig): ParamSpec[] {
  return [
    {name: "text.embed", shape: [c.vocab, c.width], init: {kind: "normal", std: 1}},
    ...(c.selfAttention ? [...normSpecs("text.ln1", c.width), ...attentionSpecs("text.attn", c.width, {self: true})] : []),
    ...normSpecs("text.ln2", c.width),
    ...mlpSpecs("text.mlp", c.width, 2 * c.width),
    ...normSpecs("text.ln3", c.width),
  ];
}

/**
 * Token features [B, L, width] from ids [B, L] (int32; padding masked out by `mask` [B, 1, L]).
 * No position embedding: in this grammar every word names its own attribute, so word order carries
 * no meaning, and without positions "red circle" and "circle red" encode alike.
 */
export function encodeText(p: Params, c: TextEncoderConfig, ids: tf.Tensor2D, mask: tf.Tensor): tf.Tensor3D {
  // A one-hot product rather than tf.gather: gather's gradient needs UnsortedSegmentSum, which the
  // wasm backend lacks.
  const [B, L] = ids.shape;
  const e = tf.reshape(tf.matMul(tf.oneHot(tf.reshape(ids, [-1]), c.vocab), p["text.embed"]), [B, L, c.width]) as tf.Tensor3D;
  const h = c.selfAttention ? tf.add(e, attention(p, "text.attn", layerNorm(p, "text.ln1", e) as tf.Tensor3D, null, mask, c.heads).out) as tf.Tensor3D : e;
  return layerNorm(p, "text.ln3", tf.add(h, mlp(p, "text.mlp", layerNorm(p, "text.ln2", h)))) as tf.Tensor3D;
}
