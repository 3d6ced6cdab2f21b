// A text-conditioned diffusion model on image tokens (the autoencoder's latent cells, or patches of
// pixels): training with v-prediction (Salimans & Ho 2022, v = √ᾱ·ε − √(1−ᾱ)·x0) and caption
// dropout for classifier-free guidance, and prediction of ε̂ with and without the caption for the
// samplers. The site's samplers run in JS on the Denoiser interface, so this class only answers
// "ε̂ at (x_t, t)" — in batches, with the conditional and unconditional halves in one call.
import * as tf from "../../vendor/tfjs.js";
import {idsOf, PAD, START, MAX_TOKENS, wordsOf} from "../../math/tokenizer.js";
import type {Attributes} from "../../math/toy-images.js";
import type {Schedule} from "../../math/schedules.js";
import {conditioning, denoiserForward, denoiserSpecs, type Conditioning, type DenoiserNetConfig} from "./denoiser-net.js";
import {timeTable, type Params} from "./layers.js";
import type {ParamSnapshot} from "./param-set.js";
import type {DiffusionRecipe} from "./recipe.js";
import {Trainable} from "./trainable.js";

/** Attention logits added at padding: large enough that softmax gives it exactly 0 in float32. */
const MASKED = -1e9;

/** Token ids [n·L] and attention masks [n·L] (0 or MASKED) for n captions given as token-id rows. */
export function captionTensors(rows: readonly Int32Array[]): {ids: Int32Array; mask: Float32Array} {
  const ids = new Int32Array(rows.length * MAX_TOKENS), mask = new Float32Array(rows.length * MAX_TOKENS);
  rows.forEach((row, i) => {
    ids.set(row, i * MAX_TOKENS);
    for (let j = 0; j < MAX_TOKENS; ++j) mask[i * MAX_TOKENS + j] = row[j] === PAD ? MASKED : 0;
  });
  return {ids, mask};
}

/** The empty caption: the start token alone (what the unconditional half of guidance reads). */
export const EMPTY_CAPTION: Int32Array = (() => {
  const ids = new Int32Array(MAX_TOKENS);
  ids[0] = START;
  return ids;
})();

/**
 * Weight of the v-loss at each timestep [T]: min(SNR_t, γ)/(SNR_t + 1) with SNR_t = ᾱ_t/(1 − ᾱ_t)
 * (Min-SNR-γ, Hang et al. 2023, for v-prediction), or 1 everywhere when γ = 0.
 */
export function lossWeights(schedule: Schedule, gamma: number): Float32Array {
  return Float32Array.from(schedule.alphaBar, (ab) => {
    if (!(gamma > 0)) return 1;
    const snr = ab / (1 - ab);
    return Math.min(snr, gamma) / (snr + 1);
  });
}

export interface DiffusionOptions {
  recipe: DiffusionRecipe;
  schedule: Schedule;
  seed: number;
  /** Training tokens x0 [n, tokens, channels] (scaled latents, or pixel patches on [−1, 1]) and each one's attributes. */
  data?: {x: Float32Array; attributes: readonly Attributes[]};
  state?: ParamSnapshot | Float32Array;
}

/** ε̂ at (x_t, t) for the captions a withCaptions run was opened with. */
export type Predictor = (xt: Float64Array, t: number, o?: {attention?: boolean}) => Promise<Prediction>;

/** What one evaluation returns: ε̂ for each row, and the cross-attention weights if asked. */
export interface Prediction {
  /** ε̂ [n, tokens·channels] (float64, converted from v̂ in JS). */
  eps: Float64Array;
  /** Cross-attention weights averaged over blocks and heads, [n, tokens, L] (when asked). */
  attention?: Float32Array;
}

export class TextDiffusion extends Trainable {
  readonly recipe: DiffusionRecipe;
  readonly net: DenoiserNetConfig;
  readonly schedule: Schedule;
  private table!: tf.Tensor2D;
  private sqrtAb!: tf.Tensor1D;
  private sqrt1mAb!: tf.Tensor1D;
  private lossWeight!: tf.Tensor1D;
  private data: tf.Tensor3D | null = null;
  private x: Float32Array | null = null;
  private attributes: readonly Attributes[] = [];

  constructor(o: DiffusionOptions) {
    super(denoiserSpecs(o.recipe.net), o.recipe.train, o.seed, o.state);
    this.recipe = o.recipe;
    this.net = o.recipe.net;
    this.schedule = o.schedule;
    this.uploadTables();
    if (o.data) this.setData(o.data.x, o.data.attributes);
  }

  private uploadTables(): void {
    const {T, sqrtAlphaBar, sqrtOneMinusAlphaBar} = this.schedule;
    this.table = tf.tensor2d(timeTable(T, this.net.timeDim), [T, this.net.timeDim]);
    this.sqrtAb = tf.tensor1d(Float32Array.from(sqrtAlphaBar));
    this.sqrt1mAb = tf.tensor1d(Float32Array.from(sqrtOneMinusAlphaBar));
    this.lossWeight = tf.tensor1d(lossWeights(this.schedule, this.recipe.minSnrGamma));
  }

  /** Recreates the parameters, tables and training data on the current backend. */
  rebuild(): void {
    super.rebuild();
    this.uploadTables();
    if (this.x) this.data = tf.tensor3d(this.x, [this.attributes.length, this.net.tokens, this.net.channels]);
  }

  /** Values per image (tokens × channels). */
  get d(): number {
    return this.net.tokens * this.net.channels;
  }

  /** Replaces the training tokens (e.g. latents of a retrained autoencoder). */
  setData(x: Float32Array, attributes: readonly Attributes[]): void {
    if (x.length !== attributes.length * this.d) throw new RangeError(`expected ${attributes.length}·${this.d} values, got ${x.length}`);
    this.data?.dispose();
    this.data = tf.tensor3d(x, [attributes.length, this.net.tokens, this.net.channels]);
    this.x = x;
    this.attributes = attributes;
  }

  /** A training caption for `a`: empty with probability captionDropout, else its words each kept with 1 − wordDropout. */
  private trainingCaption(a: Attributes): Int32Array {
    if (this.rng() < this.recipe.captionDropout) return EMPTY_CAPTION;
    return idsOf(wordsOf(a).filter(() => this.rng() >= this.recipe.wordDropout));
  }

  protected stepLoss(p: Params): tf.Scalar {
    if (!this.data) throw new Error("this diffusion model has no training data");
    const B = this.plan.batch, n = this.attributes.length, T = this.schedule.T;
    const rows = Array.from({length: B}, () => Math.floor(this.rng() * n));
    const t = tf.tensor1d(Int32Array.from({length: B}, () => Math.floor(this.rng() * T)), "int32");
    const {ids, mask} = captionTensors(rows.map((i) => this.trainingCaption(this.attributes[i])));
    const x0 = tf.gather(this.data, tf.tensor1d(Int32Array.from(rows), "int32")) as tf.Tensor3D;
    const eps = tf.randomNormal(x0.shape, 0, 1, "float32", Math.floor(this.rng() * 2 ** 31));
    const a = tf.reshape(tf.gather(this.sqrtAb, t), [B, 1, 1]), s = tf.reshape(tf.gather(this.sqrt1mAb, t), [B, 1, 1]);
    const xt = tf.add(tf.mul(a, x0), tf.mul(s, eps)) as tf.Tensor3D;
    const v = tf.sub(tf.mul(a, eps), tf.mul(s, x0));
    const cond = conditioning(p, this.net, tf.tensor2d(ids, [B, MAX_TOKENS], "int32"), tf.tensor3d(mask, [B, 1, MAX_TOKENS]));
    const {out} = denoiserForward(p, this.net, {x: xt, time: tf.gather(this.table, t) as tf.Tensor2D, cond});
    const perExample = tf.mean(tf.square(tf.sub(out, v)), [1, 2]);
    return tf.mean(tf.mul(perExample, tf.gather(this.lossWeight, t))) as tf.Scalar;
  }

  /**
   * Runs `use` with an evaluator of ε̂ for one row per caption (token-id rows), from the EMA
   * weights. What stays the same over a sampling run is computed once, before `use`: the weights'
   * views (a split of θ) and the captions' conditioning (the text encoder and every block's
   * cross-attention keys and values); each evaluation then runs only the image path. Everything is
   * freed when `use` settles.
   */
  async withCaptions<T>(captions: readonly Int32Array[], use: (predict: Predictor) => Promise<T>): Promise<T> {
    const n = captions.length;
    const {ids, mask} = captionTensors(captions);
    const kept = tf.tidy(() => {
      const params = this.set.emaParams();
      return {params, cond: conditioning(params, this.net, tf.tensor2d(ids, [n, MAX_TOKENS], "int32"), tf.tensor3d(mask, [n, 1, MAX_TOKENS]))} as unknown as tf.TensorContainer;
    }) as unknown as {params: Params; cond: Conditioning};
    try {
      return await use((xt, t, o) => this.evaluate(kept.params, kept.cond, n, xt, t, o));
    } finally {
      tf.dispose([...Object.values(kept.params), ...kept.cond.keys.flat(), kept.cond.mask]);
    }
  }

  /** ε̂ for rows xt [n, d] at integer timestep t, each row with its own caption; see withCaptions. */
  predict(xt: Float64Array, t: number, captions: readonly Int32Array[], o: {attention?: boolean} = {}): Promise<Prediction> {
    return this.withCaptions(captions, (predict) => predict(xt, t, o));
  }

  /** One evaluation: v̂ from the network, converted to ε̂ in float64 (ε̂ = √(1−ᾱ)·x_t + √ᾱ·v̂). */
  private async evaluate(params: Params, cond: Conditioning, n: number, xt: Float64Array, t: number, {attention = false} = {}): Promise<Prediction> {
    if (xt.length !== n * this.d) throw new RangeError(`predict: expected ${n}·${this.d} values, got ${xt.length}`);
    if (!Number.isInteger(t) || t < 0 || t >= this.schedule.T) throw new RangeError(`predict: t must be an integer in [0, ${this.schedule.T - 1}], got ${t}`);
    const {v, maps} = tf.tidy(() => {
      const {out, attention: blocks} = denoiserForward(params, this.net, {
        x: tf.tensor3d(Float32Array.from(xt), [n, this.net.tokens, this.net.channels]),
        time: tf.tile(tf.slice(this.table, [t, 0], [1, -1]), [n, 1]) as tf.Tensor2D,
        cond,
      }, attention);
      // Averaged over blocks and heads: [n, heads, tokens, L] → [n, tokens, L].
      return attention ? {v: out, maps: tf.mean(tf.stack(blocks.map((b) => tf.mean(b, 1))), 0)} : {v: out};
    }) as {v: tf.Tensor; maps?: tf.Tensor};
    try {
      const [vData, mapData] = await Promise.all([v.data(), maps?.data()]);
      const a = this.schedule.sqrtAlphaBar[t], s = this.schedule.sqrtOneMinusAlphaBar[t];
      const eps = new Float64Array(xt.length);
      for (let i = 0; i < eps.length; ++i) eps[i] = s * xt[i] + a * vData[i];
      return {eps, ...(mapData ? {attention: mapData as Float32Array} : {})};
    } finally {
      tf.dispose(maps ? [v, maps] : [v]);
    }
  }

  dispose(): void {
    super.dispose();
    tf.dispose([this.table, this.sqrtAb, this.sqrt1mAb, this.lossWeight]);
    this.data?.dispose();
  }
}
