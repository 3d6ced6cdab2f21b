// Training loop for the MLP denoiser: chunks of Adam steps inside one tf.tidy, per-sample losses kept
// on device and read back once per chunk together with a snapshot of every weight, so a diverged run
// (or a lost WebGL context) restarts from the last good chunk. Each step's batch (x_t, its target
// and loss weights) is drawn and built in JS, where the data lives, and uploaded: the device runs
// only the network, its gradient and the optimiser.
import * as tf from "../vendor/tfjs.js";
import {MLPDenoiser, initialWeights} from "./denoiser.js";
import type {DenoiserConfig, ModelConfig} from "./denoiser-config.js";
import {EMA} from "./ema.js";
import {Adam} from "./adam.js";
import {LossWatch} from "./divergence.js";
import {learningRateAt, lossWeights, validateTrainerConfig, type TrainerConfig} from "./trainer-config.js";
import {DEFAULT_CONFIG} from "./defaults.js";
import {networkDenoiser, type NetworkDenoiser} from "./network-denoiser.js";
import {flatten, splitArray} from "./flat.js";
import {normalFrom, rngFromSeed} from "../math/random.js";
import {makeSchedule, type Schedule, type ScheduleSpec} from "../math/schedules.js";
import type {Points, Rng} from "../math/types.js";
import {checkCompatible, fileNetwork, type WeightsFile} from "./weights.js";

/** What one chunk did. Losses are the training objective (weighted MSE in the prediction's units). */
export interface ChunkResult {
  /** Steps taken in total after this chunk (after a divergence: the restored step count). */
  step: number;
  /** Steps in this chunk. */
  steps: number;
  /** Loss of each step in the chunk. */
  losses: Float32Array;
  /** Mean of `losses`. */
  loss: number;
  /** Mean per-sample loss in each of `buckets` equal ranges of t (NaN where no sample fell). */
  bucketLoss: Float64Array;
  /** Samples that fell in each bucket over the chunk. */
  bucketCount: Float64Array;
  /** Learning rate of the chunk's last step. */
  lr: number;
  /** Wall time of the chunk, ms, including the readback. */
  ms: number;
  /** Why the chunk was rejected (weights were restored to the previous chunk's), or null. */
  diverged: string | null;
}

/** Every piece of state that a snapshot restores: weights, EMA, Adam moments and counters. */
export interface TrainerSnapshot {
  step: number;
  weights: Float32Array[];
  ema: Float32Array[];
  emaUpdates: number;
  adamM: Float32Array[];
  adamV: Float32Array[];
}

/** What a Trainer is built from. */
export interface TrainerOptions {
  /** Training data, [n, d] interleaved. */
  data: Points;
  /** Point dimension (default 2). */
  d?: number;
  schedule: Schedule;
  /** Overrides of DEFAULT_CONFIG (model fields may be given in part). */
  config?: Partial<Omit<TrainerConfig, "model">> & {model?: Partial<ModelConfig>};
  /** Seeds the initial weights and every batch (default 0). */
  seed?: number;
}

/**
 * Trains an MLPDenoiser with ε/x0/v-prediction on `data` under `schedule`.
 * Owns every tensor it creates; `dispose()` frees them all. Usage (in the training worker):
 *   const trainer = new Trainer({data, schedule});
 *   while (running) { const r = await trainer.runChunk(20); chart.update(r); if (r.diverged) break; }
 *   const samples = await ddpm(trainer.denoiser(), schedule, {n: 2000}, {steps: 100, rng});
 */
export class Trainer {
  readonly config: TrainerConfig;
  readonly schedule: Schedule;
  readonly d: number;
  model!: MLPDenoiser;
  ema!: EMA;
  private adam!: Adam;
  /** Per-timestep loss weights (lossWeights), [T]. */
  private lossWeight!: Float32Array;
  private data: Points;
  /** Draws every batch (and, in ConditionalTrainer, which labels are dropped). */
  protected rng!: Rng;
  private normal!: () => number;
  private snapshot!: TrainerSnapshot;
  /** Recent per-step losses of good chunks, for the divergence test. */
  private watch = new LossWatch();
  private disposed = false;

  /**
   * A trainer holding a weights file's network: its architecture, schedule, weights and EMA (see
   * fileNetwork), the optimiser settings of DEFAULT_CONFIG. `data` feeds only further training.
   */
  static fromFile(file: WeightsFile, data: Points, seed = 0): Trainer {
    const {d, schedule, config} = fileNetwork(file);
    const trainer = new Trainer({data, d, schedule: makeSchedule(schedule.name, schedule.T), config, seed});
    trainer.loadWeights(file);
    return trainer;
  }

  constructor({data, d = 2, schedule, config = {}, seed = 0}: TrainerOptions) {
    this.config = {...DEFAULT_CONFIG, ...config, model: {...DEFAULT_CONFIG.model, ...config.model}};
    validateTrainerConfig(this.config);
    this.schedule = schedule;
    this.d = d;
    this.data = data;
    this.checkData(data);
    this.reset(seed);
  }

  /** Steps taken so far. */
  get stepCount(): number {
    return this.snapshot.step;
  }

  /** The denoiser config of the model (with d and T). */
  get modelConfig(): DenoiserConfig {
    return {...this.config.model, d: this.d, T: this.schedule.T};
  }

  /** New random weights from `seed`, fresh optimiser and EMA, step 0. Keeps the data. */
  reset(seed: number): void {
    this.rng = rngFromSeed(seed);
    this.normal = normalFrom(this.rng);
    const weights = initialWeights(this.modelConfig, this.rng);
    const zeros = weights.map((w) => new Float32Array(w.length));
    this.watch.clear();
    this.build({step: 0, weights, ema: weights, emaUpdates: 0, adamM: zeros, adamV: zeros});
  }

  /** Replaces the training data (e.g. the reader drew a new set); weights and optimiser are kept. */
  setData(data: Points): void {
    this.checkData(data);
    this.data = data;
  }

  /** Changes optimiser settings (lr, schedule of lr, batch size, …) between chunks. Throws, changing nothing, on a bad value. */
  setConfig(patch: Partial<Omit<TrainerConfig, "model" | "emaDecay" | "emaWarmup">>): void {
    validateTrainerConfig({...this.config, ...patch});
    Object.assign(this.config, patch);
    this.lossWeight = lossWeights(this.schedule, this.config.model.prediction, this.config.weighting, this.config.snrGamma);
  }

  /** A copy of the last good state (what a divergence or a backend switch returns to). */
  lastGood(): TrainerSnapshot {
    const copy = (a: Float32Array[]) => a.map((x) => x.slice());
    const s = this.snapshot;
    return {step: s.step, weights: copy(s.weights), ema: copy(s.ema), emaUpdates: s.emaUpdates, adamM: copy(s.adamM), adamV: copy(s.adamV)};
  }

  /** Puts the model, EMA and Adam state back to `snapshot`, in place (the tensors stay the same objects). */
  restore(snapshot: TrainerSnapshot): void {
    this.model.importWeights(snapshot.weights);
    this.ema.set(snapshot.ema, snapshot.emaUpdates);
    this.adam.set(snapshot.adamM, snapshot.adamV);
    this.snapshot = snapshot;
  }

  /**
   * Recreates every tensor from the last good snapshot on the current backend: after a backend switch
   * or a lost WebGL context, e.g. `onBackendLost(async () => { await initBackend(...); trainer.rebuild(); })`.
   * Disposing the old tensors may throw on a lost backend; that is ignored.
   */
  rebuild(): void {
    this.build(this.snapshot);
  }

  private build(snapshot: TrainerSnapshot): void {
    this.disposeTensors();
    const config = this.modelConfig;
    this.model = new MLPDenoiser(config, snapshot.weights);
    this.ema = new EMA(this.model.params, this.config.emaDecay, this.config.emaWarmup);
    this.ema.set(snapshot.ema, snapshot.emaUpdates);
    this.adam = new Adam(this.model.specs.map((s) => s.shape), this.config.beta1, this.config.beta2);
    this.adam.set(snapshot.adamM, snapshot.adamV);
    this.lossWeight = lossWeights(this.schedule, config.prediction, this.config.weighting, this.config.snrGamma);
    this.snapshot = snapshot;
    this.disposed = false;
  }

  /**
   * `steps` Adam steps inside one tf.tidy, then a single `await data()` that reads every sample's
   * squared error (for the losses and per-bucket means) and every weight. If a loss or weight is NaN/∞, or a step's loss
   * exceeds explodeFactor × the running median, the chunk is rejected: all state goes back to the
   * end of the previous good chunk and `diverged` says why.
   */
  async runChunk(steps: number): Promise<ChunkResult> {
    if (this.disposed) throw new Error("Trainer.runChunk: the trainer was disposed");
    if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`runChunk: steps must be a positive integer, got ${steps}`);
    const start = performance.now();
    const {buckets, batchSize: B} = this.config;
    const startStep = this.snapshot.step;
    const batches: Batch[] = [];
    let all: Float32Array;
    try {
      all = await this.chunkOnDevice(steps, startStep, batches);
    } catch (e) {
      // A failed chunk (e.g. a lost GPU context) must not leave half-updated weights behind.
      try { this.restore(this.snapshot); } catch { /* the backend is gone; rebuild() will recreate */ }
      throw e;
    }

    // Per-sample loss w_i·|out_i − target_i|²/d, from the squared errors read back.
    const losses = new Float32Array(steps);
    const bucketSum = new Float64Array(buckets), bucketCount = new Float64Array(buckets);
    batches.forEach((batch, s) => {
      let sum = 0;
      for (let i = 0; i < B; ++i) {
        const l = (batch.weight[i] * all[s * B + i]) / this.d;
        sum += l;
        bucketSum[batch.bucket[i]] += l;
        bucketCount[batch.bucket[i]]++;
      }
      losses[s] = sum / B;
    });
    const bucketLoss = bucketSum.map((sum, b) => sum / bucketCount[b]);
    const shapes = this.model.specs.map((spec) => spec.shape), P = this.adam.m.size;
    const at = (k: number) => splitArray(all, shapes, steps * B + k * P);
    const next: TrainerSnapshot = {step: startStep + steps, weights: at(0), ema: at(1), emaUpdates: this.ema.updates, adamM: at(2), adamV: at(3)};

    const diverged = this.watch.check(losses, startStep, this.config.explodeFactor, [
      ["the weights", next.weights], ["the EMA weights", next.ema], ["Adam's first moment", next.adamM], ["Adam's second moment", next.adamV],
    ]);
    if (diverged) this.restore(this.snapshot);
    else {
      this.snapshot = next;
      this.watch.accept(losses);
    }
    let loss = 0;
    for (const l of losses) loss += l / steps;
    return {
      step: this.snapshot.step, steps, losses, loss, bucketLoss, bucketCount,
      lr: learningRateAt(startStep + steps - 1, this.config),
      ms: performance.now() - start,
      diverged,
    };
  }

  /** The steps of a chunk inside one tf.tidy, then one readback of [squared errors of every step, weights, EMA, Adam m, Adam v]. */
  private async chunkOnDevice(steps: number, startStep: number, batches: Batch[]): Promise<Float32Array> {
    const readback = tf.tidy(() => {
      const errors: tf.Tensor[] = [];
      for (let s = 0; s < steps; ++s) {
        const batch = this.sampleBatch();
        batches.push(batch);
        errors.push(tf.tidy(() => this.trainStep(batch, startStep + s)));
      }
      return tf.concat([...errors, flatten(this.model.params), this.ema.shadow, this.adam.m, this.adam.v]);
    });
    try {
      return (await readback.data()) as Float32Array;
    } finally {
      readback.dispose();
    }
  }

  /**
   * The last good state as a weights file's content (encode it with encodeWeightsFile). No readback
   * needed. A file names its schedule, so a trainer on a custom (unnamed) schedule cannot write one.
   */
  weightsFile(): WeightsFile {
    const s = this.lastGood();
    return {config: this.modelConfig, schedule: this.scheduleSpec(), weights: s.weights, ema: s.ema, step: s.step};
  }

  private scheduleSpec(): ScheduleSpec {
    const {name, T} = this.schedule;
    if (name === "custom") throw new Error("Trainer.weightsFile: a custom schedule has no name to record; build it with makeSchedule");
    return {name, T};
  }

  /**
   * Loads a parsed weights file (see parseWeightsFile). Throws, leaving the model untouched, unless
   * the file fits this model and schedule. Adam's moments restart from zero.
   */
  loadWeights(file: WeightsFile): void {
    checkCompatible(file, this.modelConfig, this.schedule);
    const zeros = file.weights.map((w) => new Float32Array(w.length));
    this.watch.clear();
    this.restore({step: file.step, weights: file.weights, ema: file.ema ?? file.weights, emaUpdates: file.step, adamM: zeros, adamV: zeros});
  }

  /** The network as a Denoiser for samplers: EMA weights (default) or the raw trained weights. */
  denoiser(which: "ema" | "raw" = "ema"): NetworkDenoiser {
    // Resolved at each call, so a denoiser taken before a reset or rebuild still reads the live weights.
    const current = () => networkDenoiser(this.model, this.schedule, which === "ema" ? () => this.ema.weights() : this.model.params);
    return {d: this.d, eps: (xt, t) => current().eps(xt, t), x0: (xt, t) => current().x0(xt, t)};
  }

  /** Frees every tensor; numTensors returns to what it was before the Trainer was made. */
  dispose(): void {
    this.disposeTensors();
    this.disposed = true;
  }

  private disposeTensors(): void {
    const free = (x: {dispose(): void} | undefined) => { try { x?.dispose(); } catch { /* lost backend */ } };
    free(this.model); free(this.ema); free(this.adam);
  }

  private checkData(data: Points): void {
    if (data.length === 0 || data.length % this.d) throw new RangeError(`Trainer: data must hold a positive multiple of d = ${this.d} values, got ${data.length}`);
    for (const x of data) if (!Number.isFinite(x)) throw new RangeError("Trainer: data contains a non-finite value");
  }

  /**
   * One step's batch, drawn in JS: points of the data (with replacement), timesteps stratified over
   * [0, T) to cut the variance of the t-average, noise ε ~ N(0, I), and from them
   *   x_t = √ᾱ_t·x0 + √(1−ᾱ_t)·ε  and the target in the model's units (ε, x0 or v = √ᾱ_t·ε − √(1−ᾱ_t)·x0),
   * with each sample's loss weight and its gradient factor 2·w_i/(B·d).
   */
  private sampleBatch(): Batch {
    const B = this.config.batchSize, d = this.d, n = this.data.length / d, T = this.schedule.T, nb = this.config.buckets;
    const {sqrtAlphaBar, sqrtOneMinusAlphaBar} = this.schedule;
    const prediction = this.config.model.prediction;
    const t = new Int32Array(B), bucket = new Int32Array(B), weight = new Float32Array(B), grad = new Float32Array(B);
    const xt = new Float32Array(B * d), target = new Float32Array(B * d);
    const index = new Int32Array(B);
    const u = this.rng();
    for (let i = 0; i < B; ++i) {
      index[i] = Math.floor(this.rng() * n);
      t[i] = Math.min(T - 1, Math.floor(((u + i / B) % 1) * T));
      bucket[i] = Math.min(nb - 1, Math.floor((t[i] * nb) / T));
      weight[i] = this.lossWeight[t[i]];
      grad[i] = (2 * weight[i]) / (B * d);
    }
    for (let i = 0; i < B; ++i) {
      const sa = sqrtAlphaBar[t[i]], so = sqrtOneMinusAlphaBar[t[i]];
      for (let j = 0; j < d; ++j) {
        const x0 = this.data[index[i] * d + j], eps = this.normal();
        xt[i * d + j] = sa * x0 + so * eps;
        target[i * d + j] = prediction === "eps" ? eps : prediction === "x0" ? x0 : sa * eps - so * x0;
      }
    }
    return {t, index, bucket, weight, grad, xt, target};
  }

  /** The network's input rows for a batch, [B, inputSize] (ConditionalTrainer adds each row's class). */
  protected inputRows(batch: Batch): Float32Array {
    return this.model.inputRows(batch.xt, batch.t);
  }

  /**
   * One Adam step and EMA update at step k (0-based) on `batch`. Returns each sample's squared
   * error |out_i − target_i|² ([B]); the loss is L = mean_i w_i·|out_i − target_i|²/d, so
   * ∂L/∂out_i = 2·w_i·(out_i − target_i)/(B·d). Call inside tf.tidy.
   */
  private trainStep(batch: Batch, k: number): tf.Tensor1D {
    const B = this.config.batchSize, d = this.d;
    const input = tf.tensor2d(this.inputRows(batch), [B, this.model.inputSize]);
    const cache = this.model.forwardWithCache(input);
    const diff = tf.sub(cache.out, tf.tensor2d(batch.target, [B, d])) as tf.Tensor2D;
    const dOut = tf.mul(diff, tf.tensor2d(batch.grad, [B, 1])) as tf.Tensor2D;
    const grads = this.model.backward(cache, dOut);
    const next = this.adam.apply(this.model.params, grads, learningRateAt(k, this.config), k + 1);
    this.ema.update(next);
    return tf.sum(tf.square(diff), 1) as tf.Tensor1D;
  }
}

/** One training step's batch, built in JS (Trainer.sampleBatch). */
export interface Batch {
  /** Timestep of each sample, [B]. */
  t: Int32Array;
  /** The data row each sample was drawn from, [B]. */
  index: Int32Array;
  /** Its loss bucket (equal ranges of t), [B]. */
  bucket: Int32Array;
  /** Its loss weight w_i, [B]. */
  weight: Float32Array;
  /** Its gradient factor 2·w_i/(B·d), [B]. */
  grad: Float32Array;
  /** The noised points and the regression targets, [B, d]. */
  xt: Float32Array;
  target: Float32Array;
}
