// The KL autoencoder as a trainable model: the loss of Rombach et al. 2022 §3.1 without its
// perceptual and adversarial terms (at 16×16 a pixel MSE already gives sharp reconstructions),
//   L = ‖x − D(z)‖² + β·KL(q(z|x) ‖ N(0, I)),  z = μ(x) + σ(x)·ε,
// and encoding / decoding of whole batches. `scale` is Stable Diffusion's latent scale factor
// (0.18215 for SD 1.x): 1 / the standard deviation of the latent means over the training images,
// so the diffusion model sees latents of unit variance, like the noise it is mixed with.
import * as tf from "../../vendor/tfjs.js";
import {autoencoderSpecs, decode, encode, type AutoencoderNetConfig} from "./autoencoder-net.js";
import type {Params} from "./layers.js";
import type {ParamSnapshot} from "./param-set.js";
import type {TrainingPlan} from "./recipe.js";
import {Trainable} from "./trainable.js";

export interface AutoencoderOptions {
  net: AutoencoderNetConfig;
  plan: TrainingPlan;
  klWeight: number;
  seed: number;
  /** Training patches [n, cells, patchValues] on [−1, 1]; may be omitted for a model that only encodes and decodes. */
  data?: Float32Array;
  state?: ParamSnapshot | Float32Array;
}

export class Autoencoder extends Trainable {
  readonly net: AutoencoderNetConfig;
  readonly klWeight: number;
  private data: tf.Tensor3D | null;
  private readonly patches: Float32Array | null;
  private n: number;
  /** The latent scale factor (see the file comment); 1 until `measureScale`. */
  scale = 1;

  constructor(o: AutoencoderOptions) {
    super(autoencoderSpecs(o.net), o.plan, o.seed, o.state);
    this.net = o.net;
    this.klWeight = o.klWeight;
    this.n = o.data ? o.data.length / (o.net.cells * o.net.patchValues) : 0;
    this.patches = o.data ?? null;
    this.data = this.upload();
  }

  private upload(): tf.Tensor3D | null {
    return this.patches ? tf.tensor3d(this.patches, [this.n, this.net.cells, this.net.patchValues]) : null;
  }

  /** Recreates the parameters and the training data on the current backend. */
  rebuild(): void {
    super.rebuild();
    this.data = this.upload();
  }

  /** Reconstruction error per value (mean squared, on [−1, 1]) and KL per latent value, as [mse, kl]. */
  private terms(p: Params, x: tf.Tensor3D, noise: tf.Tensor3D): [tf.Scalar, tf.Scalar] {
    const {mean, logVar} = encode(p, this.net, x);
    const z = tf.add(mean, tf.mul(tf.exp(tf.mul(logVar, 0.5)), noise)) as tf.Tensor3D;
    const mse = tf.mean(tf.square(tf.sub(decode(p, this.net, z), x))) as tf.Scalar;
    // KL(N(μ, σ²) ‖ N(0, 1)) = ½(μ² + σ² − 1 − log σ²) per latent value (Kingma & Welling 2014, App. B).
    const kl = tf.mul(0.5, tf.mean(tf.sub(tf.add(tf.square(mean), tf.exp(logVar)), tf.add(logVar, 1)))) as tf.Scalar;
    return [mse, kl];
  }

  protected stepLoss(p: Params): tf.Scalar {
    if (!this.data) throw new Error("this autoencoder has no training data");
    const B = this.plan.batch;
    const idx = tf.tensor1d(Int32Array.from({length: B}, () => Math.floor(this.rng() * this.n)), "int32");
    const x = tf.gather(this.data, idx) as tf.Tensor3D;
    const noise = tf.randomNormal([B, this.net.cells, this.net.channels], 0, 1, "float32", Math.floor(this.rng() * 2 ** 31)) as tf.Tensor3D;
    const [mse, kl] = this.terms(p, x, noise);
    return tf.add(mse, tf.mul(this.klWeight * this.net.channels / this.net.patchValues, kl)) as tf.Scalar;
  }

  /** Latent means μ(x) times `scale`, [n, cells, channels], for patches [n, cells, patchValues] (EMA weights). */
  async encodeScaled(patches: Float32Array): Promise<Float32Array> {
    const n = patches.length / (this.net.cells * this.net.patchValues);
    const z = tf.tidy(() => {
      const {mean} = encode(this.set.emaParams(), this.net, tf.tensor3d(patches, [n, this.net.cells, this.net.patchValues]));
      return tf.mul(mean, this.scale);
    });
    try { return (await z.data()) as Float32Array; } finally { z.dispose(); }
  }

  /** Patches on [−1, 1] for scaled latents z·scale, [n, cells, channels] → [n, cells, patchValues] (EMA weights). */
  decodeScaled(z: tf.Tensor3D): tf.Tensor3D {
    return tf.tidy(() => decode(this.set.emaParams(), this.net, tf.div(z, this.scale) as tf.Tensor3D));
  }

  /** Sets `scale` to 1/std of the latent means of `patches` (EMA weights); returns it. */
  async measureScale(patches: Float32Array): Promise<number> {
    this.scale = 1;
    const z = await this.encodeScaled(patches);
    let s = 0, s2 = 0;
    for (const v of z) { s += v; s2 += v * v; }
    const mean = s / z.length;
    this.scale = 1 / Math.sqrt(s2 / z.length - mean * mean);
    return this.scale;
  }

  /** Mean squared reconstruction error on [0, 1] pixels (decoding the mean latent, EMA weights). */
  async reconstructionError(patches: Float32Array): Promise<number> {
    const n = patches.length / (this.net.cells * this.net.patchValues);
    const err = tf.tidy(() => {
      const p = this.set.emaParams();
      const x = tf.tensor3d(patches, [n, this.net.cells, this.net.patchValues]);
      const y = tf.clipByValue(decode(p, this.net, encode(p, this.net, x).mean), -1, 1);
      return tf.div(tf.mean(tf.square(tf.sub(y, x))), 4);
    });
    try { return (await err.data())[0]; } finally { err.dispose(); }
  }

  dispose(): void {
    super.dispose();
    this.data?.dispose();
  }
}
