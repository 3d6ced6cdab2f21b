// Training a class-conditional denoiser ε_θ(x_t, t, c) for classifier-free guidance (Ho & Salimans
// 2022, Algorithm 1): the Trainer's loop unchanged, with each sample's class as extra input columns
// (a one-hot row; MLPDenoiser.inputRows) and the class replaced by the null class (zeros) with
// probability pUncond, so that one network learns both ε(x_t, t, c) and ε(x_t, t). The class columns
// are ordinary inputs of the first layer, so the hand-written backward pass needs no change.
import {Trainer, type Batch, type TrainerOptions} from "./trainer.js";
import {conditionalNetworkDenoiser, guidedNetworkDenoiser, type NetworkCfgOptions} from "./conditional-network.js";
import {fileNetwork, type WeightsFile} from "./weights.js";
import {makeSchedule} from "../math/schedules.js";
import type {ConditionalDenoiser, Denoiser, Points} from "../math/types.js";

/** Label dropout used unless told otherwise: Ho & Salimans found p_uncond of 0.1–0.2 best on ImageNet (§4.2). */
export const DEFAULT_P_UNCOND = 0.2;

/** A Trainer's options plus the class of every data point. */
export interface ConditionalTrainerOptions extends TrainerOptions {
  /** Class of each data point, [n], integers in 0…classes−1. */
  labels: Int32Array;
  /** Number of classes C (the network's one-hot width). */
  classes: number;
  /** Probability of training a sample with the null class instead of its own (default DEFAULT_P_UNCOND). */
  pUncond?: number;
}

/**
 * Trains ε_θ(x_t, t, c) with label dropout. Usage:
 *   const trainer = new ConditionalTrainer({data, labels, classes: 8, schedule});
 *   while (…) await trainer.runChunk(20);
 *   const samples = await ddim(trainer.guided({c: 3, w: 2}), schedule, {n: 1000}, {steps: 50});
 * `denoiser()` (inherited) is the unconditional model ε_θ(x_t, t, ∅). Save and load as any Trainer:
 * the weights file's config records `classes`.
 */
export class ConditionalTrainer extends Trainer {
  readonly classes: number;
  readonly pUncond: number;
  private labels!: Int32Array;

  /** A conditional trainer holding a weights file's network (its config must have classes > 0). */
  static fromLabelledFile(file: WeightsFile, data: Points, labels: Int32Array, {pUncond, seed = 0}: {pUncond?: number; seed?: number} = {}): ConditionalTrainer {
    const classes = file.config.classes ?? 0;
    if (!classes) throw new Error("This weights file holds an unconditional model (no classes); a conditional one is needed here.");
    const {d, schedule, config} = fileNetwork(file);
    const trainer = new ConditionalTrainer({data, labels, classes, pUncond, d, schedule: makeSchedule(schedule.name, schedule.T), config, seed});
    trainer.loadWeights(file);
    return trainer;
  }

  constructor({labels, classes, pUncond = DEFAULT_P_UNCOND, config = {}, ...options}: ConditionalTrainerOptions) {
    if (!(Number.isInteger(classes) && classes >= 1)) throw new RangeError(`ConditionalTrainer: classes must be a positive integer, got ${classes}`);
    if (!(pUncond >= 0 && pUncond < 1)) throw new RangeError(`ConditionalTrainer: pUncond must be in [0, 1), got ${pUncond}`);
    super({...options, config: {...config, model: {...config.model, classes}}});
    this.classes = classes;
    this.pUncond = pUncond;
    this.setLabels(options.data, labels);
  }

  /** Replaces the data without labels: refused unless the number of points is unchanged (the labels stay). */
  override setData(data: Points): void {
    if (this.labels && data.length / this.d !== this.labels.length) throw new RangeError(`ConditionalTrainer: new data has ${data.length / this.d} points but ${this.labels.length} labels; use setLabelledData`);
    super.setData(data);
  }

  /** Replaces the data and their labels together; weights and optimiser are kept. */
  setLabelledData(data: Points, labels: Int32Array): void {
    this.setLabels(data, labels);
    super.setData(data);
  }

  private setLabels(data: Points, labels: Int32Array): void {
    if (labels.length * this.d !== data.length) throw new RangeError(`ConditionalTrainer: ${labels.length} labels for ${data.length / this.d} points`);
    for (const c of labels) if (!(Number.isInteger(c) && c >= 0 && c < this.classes)) throw new RangeError(`ConditionalTrainer: label ${c} is not a class in 0…${this.classes - 1}`);
    this.labels = labels;
  }

  /** Each sample's class, or −1 (the null class) with probability pUncond, one uniform draw per sample. */
  protected override inputRows(batch: Batch): Float32Array {
    const c = new Int32Array(batch.index.length);
    for (let i = 0; i < c.length; ++i) c[i] = this.rng() < this.pUncond ? -1 : this.labels[batch.index[i]];
    return this.model.inputRows(batch.xt, batch.t, c);
  }

  /** The network as a ConditionalDenoiser (EMA weights by default): ε̂(x_t, t, c), c = null unconditional. */
  conditional(which: "ema" | "raw" = "ema"): ConditionalDenoiser {
    const current = () => conditionalNetworkDenoiser(this.model, this.schedule, which === "ema" ? () => this.ema.weights() : this.model.params);
    return {d: this.d, classes: this.classes, eps: (xt, t, c) => current().eps(xt, t, c)};
  }

  /**
   * Classifier-free guidance with this network (guidedNetworkDenoiser): ε̃ = (1 + w)·ε̂(x_t, t, c) − w·ε̂(x_t, t, negative),
   * one batched evaluation of 2n rows per call.
   */
  guided(options: NetworkCfgOptions, which: "ema" | "raw" = "ema"): Denoiser {
    // Resolved at each call, so a denoiser taken before a reset or rebuild still reads the live weights.
    const current = () => guidedNetworkDenoiser(this.model, this.schedule, options, which === "ema" ? () => this.ema.weights() : this.model.params);
    current(); // refuses a bad w or class before any sampling starts
    return {d: this.d, eps: (xt, t) => current().eps(xt, t)};
  }
}
