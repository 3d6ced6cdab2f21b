// The KL-regularised autoencoder (Rombach et al. 2022, §3.1; Kingma & Welling 2014): the encoder
// maps an image to the mean and log-variance of a Gaussian over a 4×4 grid of latent cells, the
// decoder maps a latent back to pixels. Training minimises reconstruction error plus a small KL
// term that keeps the latent near N(0, I), so diffusion can start from pure noise there.
//
// Layout: an image is 16 patches of 4×4 pixels ([B, 16, 48], see math/patches.ts). Encoder and
// decoder read each patch with a matrix product (a 4×4 stride-4 convolution), so each latent cell
// stays tied to its patch and the latent is a small image like Stable Diffusion's; between those,
// blocks of MLP-Mixer token mixing (Tolstikhin et al. 2021) let every cell see the whole image: a
// 4×4 patch alone cannot tell a ring's edge from a circle's, and the decoder needs the same
// context to draw sharp edges that one cell's 4 numbers cannot describe alone.
import * as tf from "../../vendor/tfjs.js";
import {addPerItem} from "./fast-ops.js";
import {dense, denseSpecs, layerNorm, mlp, mlpSpecs, normSpecs, silu, type ParamSpec, type Params} from "./layers.js";

export interface AutoencoderNetConfig {
  /** Latent cells (patches) and values per patch. */
  cells: number;
  patchValues: number;
  /** Latent channels per cell. */
  channels: number;
  /** Hidden width of encoder and decoder. */
  width: number;
  /** Mixing blocks in the encoder and in the decoder. */
  encoderBlocks: number;
  mixBlocks: number;
}

function mixSpecs(prefix: string, c: AutoencoderNetConfig): ParamSpec[] {
  return [...normSpecs(`${prefix}.ln1`, c.width), ...mlpSpecs(`${prefix}.tok`, c.cells, 2 * c.cells), ...normSpecs(`${prefix}.ln2`, c.width), ...mlpSpecs(`${prefix}.ch`, c.width, 2 * c.width)];
}

/** One mixing block: an MLP across the cells (per channel), then an MLP across channels (per cell), each residual. */
function mix(p: Params, prefix: string, h: tf.Tensor3D): tf.Tensor3D {
  const across = tf.transpose(layerNorm(p, `${prefix}.ln1`, h), [0, 2, 1]);
  h = tf.add(h, tf.transpose(mlp(p, `${prefix}.tok`, across), [0, 2, 1])) as tf.Tensor3D;
  return tf.add(h, mlp(p, `${prefix}.ch`, layerNorm(p, `${prefix}.ln2`, h))) as tf.Tensor3D;
}

export function autoencoderSpecs(c: AutoencoderNetConfig): ParamSpec[] {
  const specs: ParamSpec[] = [...denseSpecs("enc.in", c.patchValues, c.width), {name: "enc.pos", shape: [c.cells, c.width], init: {kind: "normal", std: 0.5}}];
  for (let i = 0; i < c.encoderBlocks; ++i) specs.push(...mixSpecs(`enc.m${i}`, c));
  specs.push(...normSpecs("enc.ln", c.width), ...denseSpecs("enc.out", c.width, 2 * c.channels, {gain: 0.5}));
  specs.push(...denseSpecs("dec.in", c.channels, c.width), {name: "dec.pos", shape: [c.cells, c.width], init: {kind: "normal", std: 0.5}});
  for (let i = 0; i < c.mixBlocks; ++i) specs.push(...mixSpecs(`dec.m${i}`, c));
  specs.push(...normSpecs("dec.ln", c.width), ...denseSpecs("dec.out", c.width, c.patchValues));
  return specs;
}

/** Mean and log-variance of q(z | x), each [B, cells, channels], from patches x [B, cells, patchValues]. */
export function encode(p: Params, c: AutoencoderNetConfig, x: tf.Tensor3D): {mean: tf.Tensor3D; logVar: tf.Tensor3D} {
  let h = addPerItem(silu(dense(p, "enc.in", x)) as tf.Tensor3D, p["enc.pos"] as tf.Tensor2D);
  for (let i = 0; i < c.encoderBlocks; ++i) h = mix(p, `enc.m${i}`, h);
  const [mean, logVar] = tf.split(dense(p, "enc.out", silu(layerNorm(p, "enc.ln", h))), 2, -1) as [tf.Tensor3D, tf.Tensor3D];
  return {mean, logVar: tf.clipByValue(logVar, -12, 6) as tf.Tensor3D};
}

/** Patches [B, cells, patchValues] (pixels on [−1, 1]) from a latent z [B, cells, channels]. */
export function decode(p: Params, c: AutoencoderNetConfig, z: tf.Tensor3D): tf.Tensor3D {
  let h = addPerItem(dense(p, "dec.in", z) as tf.Tensor3D, p["dec.pos"] as tf.Tensor2D);
  for (let i = 0; i < c.mixBlocks; ++i) h = mix(p, `dec.m${i}`, h);
  return dense(p, "dec.out", silu(layerNorm(p, "dec.ln", h))) as tf.Tensor3D;
}
