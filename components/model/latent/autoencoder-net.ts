// The KL-regularised autoencoder (Rombach et al. 2022, §3.1; Kingma & Welling 2014): the encoder
// maps an image to the mean and log-variance of a Gaussian over a 4×4 grid of latent cells, the
// decoder maps a latent back to pixels. Training minimises reconstruction error plus a small KL
// term that keeps the latent near N(0, I), so diffusion can start from pure noise there.
//
// Layout: an image is 16 patches of 4×4 pixels ([B, 16, 48], see patchify in math/patches.ts). The
// encoder looks at one patch at a time (a 4×4 stride-4 convolution written as a matrix product), so
// each latent cell describes its own patch and the latent is a small image like Stable Diffusion's.
// The decoder also mixes information across cells (MLP-Mixer's token mixing, Tolstikhin et al.
// 2021), which lets it draw sharp edges that a single cell cannot describe alone.
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
  /** Mixing blocks in the decoder. */
  mixBlocks: number;
}

export function autoencoderSpecs(c: AutoencoderNetConfig): ParamSpec[] {
  const specs: ParamSpec[] = [
    ...denseSpecs("enc.1", c.patchValues, c.width),
    ...denseSpecs("enc.2", c.width, c.width),
    ...denseSpecs("enc.out", c.width, 2 * c.channels, {gain: 0.5}),
    ...denseSpecs("dec.in", c.channels, c.width),
    {name: "dec.pos", shape: [c.cells, c.width], init: {kind: "normal", std: 0.5}},
  ];
  for (let i = 0; i < c.mixBlocks; ++i) {
    specs.push(...normSpecs(`dec.m${i}.ln1`, c.width), ...mlpSpecs(`dec.m${i}.tok`, c.cells, 2 * c.cells));
    specs.push(...normSpecs(`dec.m${i}.ln2`, c.width), ...mlpSpecs(`dec.m${i}.ch`, c.width, 2 * c.width));
  }
  specs.push(...normSpecs("dec.ln", c.width), ...denseSpecs("dec.out", c.width, c.patchValues));
  return specs;
}

/** Mean and log-variance of q(z | x), each [B, cells, channels], from patches x [B, cells, patchValues]. */
export function encode(p: Params, x: tf.Tensor3D): {mean: tf.Tensor3D; logVar: tf.Tensor3D} {
  const h = silu(dense(p, "enc.2", silu(dense(p, "enc.1", x))));
  const out = dense(p, "enc.out", h);
  const [mean, logVar] = tf.split(out, 2, -1) as [tf.Tensor3D, tf.Tensor3D];
  return {mean, logVar: tf.clipByValue(logVar, -12, 6) as tf.Tensor3D};
}

/** Patches [B, cells, patchValues] (pixels on [−1, 1]) from a latent z [B, cells, channels]. */
export function decode(p: Params, c: AutoencoderNetConfig, z: tf.Tensor3D): tf.Tensor3D {
  let h = addPerItem(dense(p, "dec.in", z) as tf.Tensor3D, p["dec.pos"] as tf.Tensor2D);
  for (let i = 0; i < c.mixBlocks; ++i) {
    const across = tf.transpose(layerNorm(p, `dec.m${i}.ln1`, h), [0, 2, 1]);
    h = tf.add(h, tf.transpose(mlp(p, `dec.m${i}.tok`, across), [0, 2, 1])) as tf.Tensor3D;
    h = tf.add(h, mlp(p, `dec.m${i}.ch`, layerNorm(p, `dec.m${i}.ln2`, h))) as tf.Tensor3D;
  }
  return dense(p, "dec.out", silu(layerNorm(p, "dec.ln", h))) as tf.Tensor3D;
}
