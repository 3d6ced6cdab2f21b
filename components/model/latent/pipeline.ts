// Stable Diffusion in miniature, end to end: the autoencoder, the latent denoiser with its text
// encoder, the pixel-space denoiser it is compared with, and the attribute classifier that scores
// both — built from a weights file (instant start) or trained from scratch in stages. Everything
// the chapter's worker does goes through this class; it owns every tensor of the four networks.
import * as tf from "../../vendor/tfjs.js";
import {allCombinations, imagesOf, isHeldOut, sampleImages, IMAGE_SIZE, type Attributes, type ImageSet} from "../../math/toy-images.js";
import {idsOf, wordsOf} from "../../math/tokenizer.js";
import {patchCount, patchify, patchValues, unpatchify} from "../../math/patches.js";
import {accuracyCounts, addAccuracy, diversity, type AccuracyCounts} from "../../math/image-metrics.js";
import {makeSchedule, type Schedule} from "../../math/schedules.js";
import {rngFromSeed} from "../../math/random.js";
import {Autoencoder} from "./autoencoder.js";
import {AttributeClassifier, classifierSpecs} from "./classifier.js";
import {TextDiffusion} from "./diffusion.js";
import {generate} from "./generate.js";
import {autoencoderSpecs} from "./autoencoder-net.js";
import {denoiserSpecs} from "./denoiser-net.js";
import type {ParamSpec} from "./layers.js";
import type {ChunkResult} from "./trainable.js";
import type {LatentRecipe} from "./recipe.js";
import type {LatentWeights, NetworkName} from "./weights-file.js";

/** Which diffusion model: in the autoencoder's latent space, or directly on pixels. */
export type Space = "latent" | "pixel";

/** The training stages of a run from scratch, in order. */
export type Stage = "autoencoder" | "latent" | "pixel";

/** Number of values of each network of `recipe` (what a weights file must hold). */
export function networkSizes(recipe: LatentRecipe): Record<NetworkName, number> {
  const total = (specs: ParamSpec[]) => specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
  return {
    autoencoder: total(autoencoderSpecs(recipe.autoencoder.net)),
    latent: total(denoiserSpecs(recipe.latent.net)),
    pixel: total(denoiserSpecs(recipe.pixel.net)),
    classifier: total(classifierSpecs(recipe.classifier.hidden)),
  };
}

/** Generated images and, when asked, what happened at every step. */
export interface Images {
  /** [n, IMAGE_SIZE] on [0, 1]. */
  pixels: Float32Array;
  /** x̂0 of every step decoded to pixels, [steps, n, IMAGE_SIZE] (with `trajectory`). */
  film?: Float32Array;
  /** Cross-attention per step, [steps, n, tokens, L] (with `attention`). */
  attention?: Float32Array;
  /** Wall time of sampling and decoding, ms. */
  ms: number;
  /** What the attribute classifier reads in each image. */
  read: Attributes[];
  /** The timestep of each sampling step. */
  ts: number[];
}

export interface SampleOptions {
  n: number;
  steps: number;
  guidance: number;
  seed: number;
  trajectory?: boolean;
  attention?: boolean;
}

/** Prompt accuracy on training and held-out combinations, and diversity within a prompt. */
export interface Evaluation {
  train: AccuracyCounts;
  heldOut: AccuracyCounts;
  /** Mean pairwise RMS distance of generated images of one prompt, and of real images of it (drawn with the training images' jitter). */
  diversity: number;
  dataDiversity: number;
  ms: number;
}

/** The prompts an evaluation uses: `count` training and `count` held-out combinations, seeded. */
export function evaluationPrompts(count: number, seed = 9): {train: Attributes[]; heldOut: Attributes[]} {
  const rng = rngFromSeed(seed);
  const pick = (list: Attributes[]) => {
    const pool = [...list], out: Attributes[] = [];
    while (out.length < count && pool.length) out.push(pool.splice(Math.floor(rng() * pool.length), 1)[0]);
    return out;
  };
  const all = allCombinations();
  return {train: pick(all.filter((a) => !isHeldOut(a))), heldOut: pick(all.filter(isHeldOut))};
}

export class LatentPipeline {
  readonly recipe: LatentRecipe;
  readonly schedule: Schedule;
  readonly classifier: AttributeClassifier;
  autoencoder: Autoencoder;
  latent: TextDiffusion;
  pixel: TextDiffusion;
  /** The stage a run from scratch is in, or null when not training (or done). */
  stage: Stage | null = null;
  private data: ImageSet | null = null;

  private constructor(recipe: LatentRecipe, w: Partial<LatentWeights["weights"]> & {classifier: Float32Array}, scale: number, seed: number) {
    this.recipe = recipe;
    this.schedule = makeSchedule(recipe.schedule.name, recipe.schedule.T);
    const a = recipe.autoencoder;
    this.classifier = new AttributeClassifier({hidden: recipe.classifier.hidden, plan: recipe.classifier.train, seed, state: w.classifier});
    this.autoencoder = new Autoencoder({net: a.net, plan: a.train, klWeight: a.klWeight, seed, state: w.autoencoder});
    this.autoencoder.scale = scale;
    this.latent = new TextDiffusion({recipe: recipe.latent, schedule: this.schedule, seed, state: w.latent});
    this.pixel = new TextDiffusion({recipe: recipe.pixel, schedule: this.schedule, seed, state: w.pixel});
  }

  /** Every network from a weights file (EMA weights), ready to sample. */
  static fromWeights(w: LatentWeights): LatentPipeline {
    return new LatentPipeline(w.recipe, w.weights, w.scale, w.recipe.seed);
  }

  /**
   * Fresh random weights from `seed` for the autoencoder and both denoisers (the classifier is the
   * yardstick and is kept), training data drawn, and the first stage ready to run.
   */
  static untrained(recipe: LatentRecipe, classifier: Float32Array, seed: number): LatentPipeline {
    const p = new LatentPipeline(recipe, {classifier}, 1, seed);
    p.data = sampleImages(recipe.images, rngFromSeed(recipe.dataSeed), {jitter: recipe.jitter ?? 1});
    p.autoencoder.dispose();
    const a = recipe.autoencoder;
    p.autoencoder = new Autoencoder({net: a.net, plan: a.train, klWeight: a.klWeight, seed, data: patchify(p.data.pixels, a.patch)});
    p.stage = "autoencoder";
    return p;
  }

  /** The model a stage trains. */
  private trainee(stage: Stage): Autoencoder | TextDiffusion {
    return stage === "autoencoder" ? this.autoencoder : stage === "latent" ? this.latent : this.pixel;
  }

  /**
   * `steps` training steps of the current stage. When a stage reaches its planned steps the next
   * begins: after the autoencoder, the latent scale is measured and the training images encoded for
   * the latent denoiser. Returns the chunk's result and the stage it trained.
   */
  async trainChunk(steps: number): Promise<{stage: Stage; result: ChunkResult}> {
    const stage = this.stage;
    if (!stage || !this.data) throw new Error("nothing to train: start a run from scratch first");
    const model = this.trainee(stage);
    const result = await model.runChunk(Math.max(1, Math.min(steps, model.plan.steps - model.stepCount)));
    if (model.stepCount >= model.plan.steps) await this.finishStage(stage);
    return {stage, result};
  }

  /** Also train the pixel-space model after the latent one (for the chapter's comparison). */
  includePixel = false;

  /**
   * Ends stage `done` and begins the next: after the autoencoder, measures the latent scale and
   * encodes the training images for the latent denoiser; after the latent denoiser, gives the pixel
   * denoiser its data if `includePixel`.
   */
  async finishStage(done: Stage): Promise<void> {
    const data = this.data!;
    if (done === "autoencoder") {
      const patches = patchify(data.pixels, this.recipe.autoencoder.patch);
      await this.autoencoder.measureScale(patches);
      this.latent.setData(await this.autoencoder.encodeScaled(patches), data.attributes);
      this.stage = "latent";
    } else if (done === "latent" && this.includePixel) {
      this.pixel.setData(patchify(data.pixels, this.recipe.pixel.patch), data.attributes);
      this.stage = "pixel";
    } else {
      this.stage = null;
    }
  }

  /** Pixels [n, IMAGE_SIZE] on [0, 1] from final tokens [n, d] of `space`. */
  async toPixels(space: Space, tokens: Float64Array | Float32Array, n: number): Promise<Float32Array> {
    if (space === "pixel") return unpatchify(tokens, this.recipe.pixel.patch);
    const {cells, channels} = this.recipe.autoencoder.net;
    const decoded = tf.tidy(() => this.autoencoder.decodeScaled(tf.tensor3d(Float32Array.from(tokens), [n, cells, channels])));
    try {
      return unpatchify((await decoded.data()) as Float32Array, this.recipe.autoencoder.patch);
    } finally {
      decoded.dispose();
    }
  }

  /** n images for one caption (token ids), with the film strip and attention when asked. */
  async sample(space: Space, caption: Int32Array, o: SampleOptions): Promise<Images> {
    const start = performance.now();
    const model = space === "latent" ? this.latent : this.pixel;
    const g = await generate(model, Array.from({length: o.n}, () => caption), o);
    const pixels = await this.toPixels(space, g.x, o.n);
    const out: Images = {pixels, ms: 0, read: [], ts: g.ts};
    if (o.trajectory && g.x0s.length) {
      const all = new Float64Array(g.x0s.length * g.x.length);
      g.x0s.forEach((x0, i) => all.set(x0, i * g.x.length));
      out.film = await this.toPixels(space, all, g.x0s.length * o.n);
    }
    if (o.attention && g.attention.length) {
      out.attention = new Float32Array(g.attention.reduce((k, a) => k + a.length, 0));
      g.attention.forEach((a, i) => out.attention!.set(a, i * a.length));
    }
    out.ms = performance.now() - start;
    out.read = await this.classifier.classify(pixels);
    return out;
  }

  /**
   * Prompt accuracy of `space` with guidance w: `perPrompt` images for each of `prompts` training
   * and held-out combinations (evaluationPrompts), read by the classifier; diversity of the first
   * prompt's images against real images of that prompt.
   */
  async evaluate(space: Space, w: number, {prompts = 16, perPrompt = 4, steps = 20, seed = 5} = {}): Promise<Evaluation> {
    const start = performance.now();
    const sets = evaluationPrompts(prompts);
    const model = space === "latent" ? this.latent : this.pixel;
    const result = {} as Record<"train" | "heldOut", AccuracyCounts>;
    let div = NaN, dataDiv = NaN;
    for (const split of ["train", "heldOut"] as const) {
      const list = sets[split];
      const captions = list.flatMap((a) => Array.from({length: perPrompt}, () => idsOf(wordsOf(a))));
      const g = await generate(model, captions, {steps, guidance: w, seed});
      const pixels = await this.toPixels(space, g.x, captions.length);
      const read = await this.classifier.classify(pixels);
      const counts = accuracyCounts();
      list.forEach((a, i) => addAccuracy(counts, a, read.slice(i * perPrompt, (i + 1) * perPrompt)));
      result[split] = counts;
      if (split === "train") {
        div = diversity(pixels.subarray(0, perPrompt * IMAGE_SIZE));
        dataDiv = diversity(imagesOf(list[0], perPrompt, rngFromSeed(seed), this.recipe.jitter ?? 1));
      }
    }
    return {train: result.train, heldOut: result.heldOut, diversity: div, dataDiversity: dataDiv, ms: performance.now() - start};
  }

  /** n held-out-inclusive images, their reconstructions through the autoencoder and the mean squared error. */
  async reconstruct(n: number, seed: number): Promise<{original: Float32Array; reconstructed: Float32Array; latents: Float32Array; attributes: Attributes[]; mse: number}> {
    const set = sampleImages(n, rngFromSeed(seed), {heldOut: "include"});
    const patches = patchify(set.pixels, this.recipe.autoencoder.patch);
    const latents = await this.autoencoder.encodeScaled(patches);
    const reconstructed = await this.toPixels("latent", latents, n);
    let s = 0;
    for (let i = 0; i < reconstructed.length; ++i) s += (reconstructed[i] - set.pixels[i]) ** 2;
    return {original: set.pixels, reconstructed, latents, attributes: set.attributes, mse: s / reconstructed.length};
  }

  /** Pixels for scaled latents z [n, cells·channels] (e.g. a grid along two latent directions). */
  decode(z: Float32Array): Promise<Float32Array> {
    const {cells, channels} = this.recipe.autoencoder.net;
    return this.toPixels("latent", z, z.length / (cells * channels));
  }

  /**
   * What each denoiser costs here: ms per training step (batch of its recipe, `steps` steps of a
   * fresh copy, so the trained weights are untouched) and ms per image of 16 images with 20 guided
   * steps, decoding included; and its number of parameters. Also the autoencoder's ms per training
   * step: the latent model's training time includes it.
   */
  async measureCost(steps: number): Promise<Cost> {
    const out = {} as Cost;
    const n = 256, attributes = allCombinations().slice(0, n);
    const a = this.recipe.autoencoder;
    const ae = new Autoencoder({net: a.net, plan: a.train, klWeight: a.klWeight, seed: 1, data: new Float32Array(n * a.net.cells * a.net.patchValues)});
    try {
      await ae.runChunk(2);
      const t0 = performance.now();
      await ae.runChunk(steps);
      out.autoencoder = {msPerStep: (performance.now() - t0) / steps, params: ae.set.size};
    } finally {
      ae.dispose();
    }
    for (const space of ["latent", "pixel"] as const) {
      const recipe = space === "latent" ? this.recipe.latent : this.recipe.pixel;
      const d = recipe.net.tokens * recipe.net.channels;
      const probe = new TextDiffusion({recipe, schedule: this.schedule, seed: 1, data: {x: new Float32Array(attributes.length * d), attributes}});
      try {
        await probe.runChunk(2);
        const t0 = performance.now();
        await probe.runChunk(steps);
        const msPerStep = (performance.now() - t0) / steps;
        const caption = idsOf(wordsOf(attributes[0]));
        await this.sample(space, caption, {n: 2, steps: 2, guidance: 3, seed: 1});
        const s = await this.sample(space, caption, {n: 16, steps: 20, guidance: 3, seed: 1});
        out[space] = {msPerStep, msPerImage: s.ms / 16, params: probe.set.size};
      } finally {
        probe.dispose();
      }
    }
    return out;
  }

  /** The weights of every network, for a file. */
  weights(): LatentWeights {
    return {
      recipe: this.recipe,
      scale: this.autoencoder.scale,
      weights: {autoencoder: this.autoencoder.emaWeights(), latent: this.latent.emaWeights(), pixel: this.pixel.emaWeights(), classifier: this.classifier.emaWeights()},
      steps: {autoencoder: this.autoencoder.stepCount, latent: this.latent.stepCount, pixel: this.pixel.stepCount, classifier: this.classifier.stepCount},
    };
  }

  /** Recreates every tensor on the current backend from the last good state (after a backend change). */
  rebuild(): void {
    for (const m of [this.classifier, this.autoencoder, this.latent, this.pixel]) m.rebuild();
  }

  dispose(): void {
    for (const m of [this.classifier, this.autoencoder, this.latent, this.pixel]) m.dispose();
  }
}

/** What training and sampling cost here: per denoiser, and the autoencoder the latent one needs first. */
export type Cost = Record<Space, {msPerStep: number; msPerImage: number; params: number}> & {autoencoder: {msPerStep: number; params: number}};

/** Values per token of each space, for views that unpack tokens. */
export const tokenShape = (recipe: LatentRecipe, space: Space): {tokens: number; channels: number} =>
  space === "latent" ? {tokens: recipe.autoencoder.net.cells, channels: recipe.autoencoder.net.channels} : {tokens: patchCount(recipe.pixel.patch), channels: patchValues(recipe.pixel.patch)};
