// The latent-diffusion chapter's recipe: image and latent sizes, the networks' shapes and every
// training setting, in one tfjs-free table that pages, the worker, the build and the tests share.
// Sizes were chosen by measurement (scripts/latent-sweep.ts, wasm in Node); see DEFAULT_RECIPE.
import {CHANNELS, IMAGE_SIDE} from "../../math/toy-images.js";
import {MAX_TOKENS, VOCAB} from "../../math/tokenizer.js";
import type {ScheduleName} from "../../math/schedules.js";
import type {AutoencoderNetConfig} from "./autoencoder-net.js";
import type {DenoiserNetConfig} from "./denoiser-net.js";
import type {OptimiserConfig} from "./param-set.js";

/** How one network is trained: optimiser, batch, steps, warm-up and decay of the learning rate. */
export interface TrainingPlan extends OptimiserConfig {
  batch: number;
  /** Steps of a full run (the build's, and the reader's "train from scratch"). */
  steps: number;
  warmupSteps: number;
  /** The learning rate decays by a half-cosine to lr·minLrFraction over `steps`. */
  minLrFraction: number;
}

/** A text-conditioned diffusion model: its network and its training. */
export interface DiffusionRecipe {
  net: DenoiserNetConfig;
  /** Side of the square patch one token covers, in the space the model works in (latent cells or pixels). */
  patch: number;
  train: TrainingPlan;
  /** Probability that a training caption is replaced by the empty one (classifier-free guidance). */
  captionDropout: number;
  /** Probability that each attribute word is left out of a training caption (so partial prompts work). */
  wordDropout: number;
  /**
   * Min-SNR-γ loss weighting (Hang et al. 2023, eq. 8 for v-prediction): each example's v-loss is
   * weighted by min(SNR_t, γ)/(SNR_t + 1), SNR_t = ᾱ_t/(1 − ᾱ_t), so that the many nearly-clean
   * timesteps stop dominating the gradient. 0 turns it off (every timestep weighted 1).
   */
  minSnrGamma: number;
}

export interface LatentRecipe {
  /** Training images (drawn once from `dataSeed`, held-out combinations excluded). */
  images: number;
  dataSeed: number;
  /** Seed of every network's initial weights and of training's random draws. */
  seed: number;
  /** Scale of the training images' jitter (offset, radius, brightness; 1 = drawJitter's own). */
  jitter: number;
  schedule: {name: ScheduleName; T: number};
  autoencoder: {net: AutoencoderNetConfig; patch: number; train: TrainingPlan; klWeight: number};
  latent: DiffusionRecipe;
  pixel: DiffusionRecipe;
  classifier: {hidden: number; train: TrainingPlan; images: number};
}

/** Width of the sinusoidal time table every denoiser reads. */
export const TIME_DIM = 32;

const text = (width: number) => ({vocab: VOCAB, maxTokens: MAX_TOKENS, width, heads: 8, selfAttention: true});
const plan = (p: Partial<TrainingPlan> & Pick<TrainingPlan, "steps" | "batch" | "lr">): TrainingPlan => ({
  beta1: 0.9, beta2: 0.99, clipNorm: 1, emaDecay: 0.995, warmupSteps: 50, minLrFraction: 0.1, ...p,
});

/**
 * The recipe the site ships and the reader trains. Image 16×16×3 = 768 values; the autoencoder's
 * latent is 4×4 cells × 4 channels = 64 values (12× smaller), each cell describing a 4×4 patch.
 *
 * Chosen with scripts/latent-sweep.ts (wasm in Node; latent model, 16 training / 16 held-out prompts
 * × 4 images, w = 3; shape read on training / held-out prompts) and scripts/latent-step-cost.ts:
 * - Batch 32 instead of 64 for the autoencoder and the denoisers: 0.6× the CPU per step, and at
 *   lr 3e-3 the latent model read shape 52 / 31 % after 2,000 steps (62 CPU s) where batch 64 with
 *   1,500 steps (111 CPU s) read 48 %. Reconstructions keep the shape in 84 % of images.
 * - 8 attention heads of 4 features (the same parameters as 4 of 8): shape 48 / 56 %.
 * - Min-SNR-5 loss weighting (see DiffusionRecipe.minSnrGamma): 50 / 41 %, diversity 0.075 against
 *   0.046; with 8 heads, 66 / 47 %.
 * - Half the data jitter (±0.5 px): 86 / 69 %; real images of a prompt then vary less too.
 * - 3,500 latent steps instead of 2,000 (the cosine decay stretched to match), measured on 40 + 40
 *   prompts × 4 images, noise seed 21: shape 99 / 82 % at w = 3 against 81 / 66 %, and 88 / 61 %
 *   at w = 0 against 66 / 46 %; diversity at w = 0 0.041 against 0.055 (real images 0.037), at
 *   w = 3 0.006 against 0.010. 45 more CPU s (the sampling speed-up of this session paid for it:
 *   30 CPU ms per latent step at batch 32, from 45).
 * - Not adopted: lr 6e-3 (shape 61 / 59 % but colour on held-out pairs fell to 80 %); 3 blocks
 *   for 1,500 steps, the same CPU (58 / 34 %); width 48 or 64 (1.7× and 3.1× the CPU per step).
 * The pixel model has the same design and training, run longer (6,000 steps), so the page can compare
 * the two at equal quality (train-all.ts's curve), except:
 * - the loss weighting: with Min-SNR-5 it read only 39 % of the attributes after 1,000 steps (43 %
 *   after 6,000), without it 50 % (57 % held-out);
 * - the width, 64 instead of 32: at 32 it read 67 / 70 % of the attributes after 6,000 steps and
 *   24 / 30 % of the shapes at w = 3 (build, 40 prompts); at 64, 87 / 81 % and 48 / 25 % after
 *   3,000 (`latent-sweep.ts pixel.net.width=64 pixel.train.steps=3000 --stages pixel`, 16 + 16
 *   prompts), at 2.2× the CPU per step (65 against 30 CPU ms). A patch token holds 48 values, a
 *   latent cell 4.
 */
export const DEFAULT_RECIPE: LatentRecipe = {
  images: 4000,
  dataSeed: 1,
  seed: 1,
  jitter: 0.5,
  schedule: {name: "cosine", T: 1000},
  autoencoder: {
    net: {cells: 16, patchValues: 4 * 4 * CHANNELS, channels: 4, width: 64, encoderBlocks: 1, mixBlocks: 1},
    patch: 4,
    train: plan({steps: 800, batch: 32, lr: 1e-2}),
    klWeight: 1e-3,
  },
  latent: {
    net: {tokens: 16, channels: 4, width: 32, depth: 2, heads: 8, mixing: "attention", timeDim: TIME_DIM, text: text(32)},
    patch: 1,
    train: plan({steps: 3500, batch: 32, lr: 3e-3}),
    captionDropout: 0.1,
    wordDropout: 0.15,
    minSnrGamma: 5,
  },
  pixel: {
    net: {tokens: (IMAGE_SIDE / 4) ** 2, channels: 4 * 4 * CHANNELS, width: 64, depth: 2, heads: 8, mixing: "attention", timeDim: TIME_DIM, text: text(32)},
    patch: 4,
    train: plan({steps: 6000, batch: 32, lr: 3e-3}),
    captionDropout: 0.1,
    wordDropout: 0.15,
    minSnrGamma: 0,
  },
  classifier: {hidden: 128, train: plan({steps: 2000, batch: 128, lr: 3e-3}), images: 20000},
};

/** Learning rate at step k (0-based): linear warm-up, then a half-cosine from lr to lr·minLrFraction. */
export function learningRateAt(k: number, p: Pick<TrainingPlan, "lr" | "warmupSteps" | "steps" | "minLrFraction">): number {
  if (k < p.warmupSteps) return (p.lr * (k + 1)) / p.warmupSteps;
  const f = Math.min(1, (k - p.warmupSteps) / Math.max(1, p.steps - p.warmupSteps));
  return p.lr * (p.minLrFraction + (1 - p.minLrFraction) * 0.5 * (1 + Math.cos(Math.PI * f)));
}
