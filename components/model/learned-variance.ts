// The denoiser with a learned reverse variance (Nichol & Dhariwal 2021, "Improved DDPM", §3.1): the
// MLP's last dense layer gets d more output columns, ν's raw values, one per coordinate, and the
// network is trained on the hybrid loss L_simple + λ·L_vlb. Here the extra columns are held as their
// own "variance head" [fanIn, d] and [d] and concatenated to the output layer for each pass: the same
// network, but MLPDenoiser, its weights files and the shipped model (keyed by the trainer's code) stay
// as they are. The backward pass is MLPDenoiser.backward on the widened layer, with ∂L/∂ν from
// math/learned-variance.ts.
import * as tf from "../vendor/tfjs.js";
import {MLPDenoiser, initialWeights, epsFromOutput} from "./denoiser.js";
import {paramSpecs, type DenoiserConfig, type ModelConfig, type ParamSpec} from "./denoiser-config.js";
import {EMA} from "./ema.js";
import {Adam} from "./adam.js";
import {learningRateAt, lossWeights, validateTrainerConfig, type TrainerConfig} from "./trainer-config.js";
import {DEFAULT_CONFIG} from "./defaults.js";
import {encodeWeightsFile, parseWeightsFile, type WeightsFile} from "./weights.js";
import {HYBRID_LAMBDA, meanGapScale} from "../math/learned-variance.js";
import {posteriorBetween} from "../math/forward.js";
import {alphaBarAt, makeSchedule, type Schedule} from "../math/schedules.js";
import {normalFrom, rngFromSeed} from "../math/random.js";
import type {Points} from "../math/types.js";
import type {VarianceDenoiser} from "../samplers/learned-ddpm.js";

/** Names and shapes of the variance head: the d extra columns of the output layer's kernel and bias. */
export function varianceHeadSpecs(c: DenoiserConfig): ParamSpec[] {
  const specs = paramSpecs(c), last = specs[specs.length - 2].shape[0];
  return [{name: "variance/kernel", shape: [last, c.d]}, {name: "variance/bias", shape: [c.d]}];
}

/**
 * The output layer widened by the head: params in paramSpecs order followed by the head's kernel and
 * bias → paramSpecs order with the last kernel [fanIn, 2d] and bias [2d]. Call inside tf.tidy.
 */
export function widenedParams(all: readonly tf.Tensor[]): tf.Tensor[] {
  const n = all.length - 2, out = all.slice(0, n);
  out[n - 2] = tf.concat([all[n - 2] as tf.Tensor2D, all[n] as tf.Tensor2D], 1);
  out[n - 1] = tf.concat([all[n - 1], all[n + 1]], 0);
  return out;
}

/** The inverse of widenedParams for gradients: the widened layer's two gradients cut into mean and head parts. */
function splitWidened(grads: tf.Tensor[], d: number): tf.Tensor[] {
  const n = grads.length, kernel = grads[n - 2] as tf.Tensor2D, bias = grads[n - 1] as tf.Tensor1D;
  return [...grads.slice(0, n - 2),
    tf.slice(kernel, [0, 0], [-1, d]), tf.slice(bias, [0], [d]),
    tf.slice(kernel, [0, d], [-1, d]), tf.slice(bias, [d], [d])];
}

/** Everything needed to rebuild a trained learned-variance network (its EMA weights). */
export interface VarianceModelFile {
  /** The mean network, as a weights file (weights = the EMA average). */
  network: WeightsFile;
  /** The head's kernel and bias (EMA average), in varianceHeadSpecs order. */
  head: Float32Array[];
}

/** The "format" marker of a learned-variance model file. */
export const VARIANCE_MODEL_FORMAT = "diffusion-lab-learned-variance";

/** The file as JSON text: the weights file's JSON and the head's values. */
export function encodeVarianceModel(file: VarianceModelFile): string {
  return JSON.stringify({format: VARIANCE_MODEL_FORMAT, network: JSON.parse(encodeWeightsFile(file.network)), head: file.head.map((h) => Array.from(h))});
}

/** Parses encodeVarianceModel's text; throws a message naming what is wrong. */
export function parseVarianceModel(text: string): VarianceModelFile {
  const o = JSON.parse(text);
  if (o?.format !== VARIANCE_MODEL_FORMAT) throw new Error(`not a learned-variance model: no "format": "${VARIANCE_MODEL_FORMAT}" marker`);
  const network = parseWeightsFile(JSON.stringify(o.network));
  const specs = varianceHeadSpecs(network.config);
  const head = specs.map(({name, shape}, i) => {
    const values = o.head?.[i];
    if (!Array.isArray(values) || values.length !== shape.reduce((a, b) => a * b, 1) || !values.every(Number.isFinite)) throw new Error(`${name} should hold ${shape.join("×")} finite numbers`);
    return Float32Array.from(values);
  });
  return {network, head};
}

/**
 * ν and ε̂ from a network and head, `params` = mean weights then head (paramSpecs + varianceHeadSpecs order).
 * The reference forward pass (e(t) tiled, MLPDenoiser.forwardWithCache on the widened layer).
 */
function varianceDenoiserOf(model: MLPDenoiser, schedule: Schedule, params: () => tf.Tensor[]): VarianceDenoiser {
  const {d, prediction} = model.config;
  const epsAndNu = async (xt: Float64Array, t: number) => {
    const n = xt.length / d, ab = alphaBarAt(schedule, t);
    const both = tf.tidy(() => {
      const x = tf.tensor2d(Float32Array.from(xt), [n, d]);
      const out = model.forwardWithCache(model.input(x, model.embedding.atFractional(t, n)), widenedParams(params())).out;
      const eps = epsFromOutput(tf.slice(out, [0, 0], [-1, d]), x, Math.sqrt(ab), Math.sqrt(1 - ab), prediction);
      return tf.concat([eps, tf.mul(tf.add(tf.slice(out, [0, d], [-1, d]), 1), 0.5)], 1);
    });
    const values = await both.data();
    both.dispose();
    const eps = new Float64Array(n * d), nu = new Float64Array(n * d);
    for (let i = 0; i < n; ++i) for (let j = 0; j < d; ++j) { eps[i * d + j] = values[i * 2 * d + j]; nu[i * d + j] = values[i * 2 * d + d + j]; }
    return {eps, nu};
  };
  return {d, epsAndNu, eps: async (xt, t) => (await epsAndNu(xt, t)).eps};
}

/** A trained learned-variance network loaded for evaluation. Owns its tensors; call dispose(). */
export class VarianceNetwork {
  readonly model: MLPDenoiser;
  readonly schedule: Schedule;
  private readonly head: tf.Tensor[];

  constructor(file: VarianceModelFile) {
    this.model = new MLPDenoiser(file.network.config, file.network.ema ?? file.network.weights);
    this.schedule = makeSchedule(file.network.schedule.name, file.network.schedule.T);
    this.head = file.head.map((h, i) => tf.tensor(h, varianceHeadSpecs(file.network.config)[i].shape));
  }

  /** The network as a VarianceDenoiser on its own schedule (ε̂ and ν in one evaluation). */
  denoiser(): VarianceDenoiser {
    return varianceDenoiserOf(this.model, this.schedule, () => [...this.model.params, ...this.head]);
  }

  dispose(): void {
    this.model.dispose();
    tf.dispose(this.head);
  }
}

/** What a VarianceTrainer is built from (as TrainerOptions, plus λ). */
export interface VarianceTrainerOptions {
  data: Points;
  d?: number;
  schedule: Schedule;
  config?: Partial<Omit<TrainerConfig, "model">> & {model?: Partial<ModelConfig>};
  seed?: number;
  /** λ of L_simple + λ·L_vlb (default 0.001, Nichol & Dhariwal §3.1). */
  lambda?: number;
}

/** The mean over a chunk's steps of each half of the hybrid loss. */
export interface VarianceChunk {
  step: number;
  /** L_simple: weighted MSE in the prediction's units, per coordinate. */
  simple: number;
  /** The KL term of L_vlb per coordinate, averaged over t ≥ 1 (λ·T times it enters the loss). */
  vlb: number;
}

/**
 * Trains a denoiser and its variance head on L_hybrid = L_simple + λ·L_vlb (Nichol & Dhariwal 2021,
 * §3.1), with the optimiser, EMA and batch recipe of Trainer (same config). L_vlb is estimated as
 * T·E_t KL_t with t uniform over the batch's stratified timesteps; t = 0 (whose term is a decoder
 * likelihood, not a Gaussian KL) is left out of it. For building the chapter's model and for tests:
 * no divergence recovery, no snapshots — a run that goes non-finite throws.
 */
export class VarianceTrainer {
  readonly config: TrainerConfig;
  readonly schedule: Schedule;
  readonly d: number;
  readonly lambda: number;
  readonly model: MLPDenoiser;
  private readonly head: tf.Variable[];
  private readonly params: tf.Variable[];
  private readonly ema: EMA;
  private readonly adam: Adam;
  private readonly lossWeight: Float32Array;
  private readonly rng: () => number;
  private readonly normal: () => number;
  private readonly data: Points;
  /** Steps taken so far. */
  step = 0;

  constructor({data, d = 2, schedule, config = {}, seed = 0, lambda = HYBRID_LAMBDA}: VarianceTrainerOptions) {
    this.config = {...DEFAULT_CONFIG, ...config, model: {...DEFAULT_CONFIG.model, ...config.model}};
    validateTrainerConfig(this.config);
    if (!(data.length > 0 && data.length % d === 0 && data.every(Number.isFinite))) throw new RangeError(`VarianceTrainer: data must hold a positive multiple of d = ${d} finite values`);
    this.schedule = schedule;
    this.d = d;
    this.lambda = lambda;
    this.data = data;
    this.rng = rngFromSeed(seed);
    this.normal = normalFrom(this.rng);
    const c = this.modelConfig;
    this.model = new MLPDenoiser(c, initialWeights(c, this.rng));
    // Zero like the output layer: ν = ½ at first, the geometric mean of β and β̃.
    this.head = tf.tidy(() => varianceHeadSpecs(c).map(({shape}) => tf.variable(tf.zeros(shape))));
    this.params = [...this.model.params, ...this.head];
    this.ema = new EMA(this.params, this.config.emaDecay, this.config.emaWarmup);
    this.adam = new Adam(this.params.map((p) => p.shape), this.config.beta1, this.config.beta2);
    this.lossWeight = lossWeights(schedule, this.config.model.prediction, this.config.weighting, this.config.snrGamma);
  }

  /** The denoiser config of the mean network (with d and T). */
  get modelConfig(): DenoiserConfig {
    return {...this.config.model, d: this.d, T: this.schedule.T};
  }

  /** `steps` steps of the hybrid loss inside one tf.tidy; one readback of the per-step losses. */
  async runChunk(steps: number): Promise<VarianceChunk> {
    const losses = tf.tidy(() => tf.stack(Array.from({length: steps}, (_, s) => tf.tidy(() => this.hybridStep(this.drawBatch(), this.step + s)))));
    const values = (await losses.data()) as Float32Array;
    losses.dispose();
    this.step += steps;
    let simple = 0, vlb = 0;
    for (let s = 0; s < steps; ++s) { simple += values[2 * s] / steps; vlb += values[2 * s + 1] / steps; }
    if (!Number.isFinite(simple + vlb)) throw new Error(`VarianceTrainer: the loss is not finite at step ${this.step}`);
    return {step: this.step, simple, vlb};
  }

  /** The EMA weights as a file (one readback). */
  async file(): Promise<VarianceModelFile> {
    const flat = (await this.ema.shadow.data()) as Float32Array;
    let offset = 0;
    const arrays = this.params.map((p) => flat.slice(offset, (offset += p.size)));
    const weights = arrays.slice(0, -2);
    const {name, T} = this.schedule;
    if (name === "custom") throw new Error("VarianceTrainer.file: a custom schedule has no name to record");
    return {network: {config: this.modelConfig, schedule: {name, T}, weights, ema: weights, step: this.step}, head: arrays.slice(-2)};
  }

  /** The network and head as a VarianceDenoiser, from the EMA weights (default) or the raw ones. */
  denoiser(which: "ema" | "raw" = "ema"): VarianceDenoiser {
    return varianceDenoiserOf(this.model, this.schedule, () => (which === "ema" ? this.ema.weights() : this.params));
  }

  dispose(): void {
    this.model.dispose();
    tf.dispose([...this.head]);
    this.ema.dispose();
    this.adam.dispose();
  }

  /**
   * One batch as Trainer draws it (data with replacement, t stratified over [0, T), ε ~ N(0, I), x_t
   * and the target in the prediction's units), plus per sample what L_vlb needs: log β_t, log β̃_t,
   * β̃_t, the scale c_t of (μ̃ − μθ)² = c_t·(out − target)² (meanGapScale) and the two gradient factors.
   */
  drawBatch(): VarianceBatch {
    const B = this.config.batchSize, d = this.d, n = this.data.length / d, T = this.schedule.T;
    const {sqrtAlphaBar, sqrtOneMinusAlphaBar, alphaBar} = this.schedule;
    const prediction = this.config.model.prediction;
    const t = new Int32Array(B), xt = new Float32Array(B * d), target = new Float32Array(B * d);
    const columns = new Float32Array(B * VLB_COLUMNS);
    const u = this.rng();
    for (let i = 0; i < B; ++i) {
      const index = Math.floor(this.rng() * n);
      t[i] = Math.min(T - 1, Math.floor(((u + i / B) % 1) * T));
      const sa = sqrtAlphaBar[t[i]], so = sqrtOneMinusAlphaBar[t[i]];
      for (let j = 0; j < d; ++j) {
        const x0 = this.data[index * d + j], eps = this.normal();
        xt[i * d + j] = sa * x0 + so * eps;
        target[i * d + j] = prediction === "eps" ? eps : prediction === "x0" ? x0 : sa * eps - so * x0;
      }
      const row = columns.subarray(i * VLB_COLUMNS, (i + 1) * VLB_COLUMNS);
      row[0] = (2 * this.lossWeight[t[i]]) / (B * d);
      if (t[i] === 0) { row.set([0, 0, 1, 0, 0], 1); continue; }
      const abT = alphaBar[t[i]], abS = alphaBar[t[i] - 1], betaTilde = posteriorBetween(abT, abS).variance;
      // ∂(λ·T·mean KL)/∂raw = λ·T/(B·d)·½·∂KL/∂ν   (ν = (raw + 1)/2).
      row.set([(this.lambda * T) / (2 * B * d), Math.log(1 - abT / abS), betaTilde, Math.log(betaTilde), meanGapScale(prediction, abT, abS)], 1);
    }
    return {t, xt, target, columns};
  }

  /**
   * ∂L_hybrid/∂θ for every parameter (mean network, then head) on `batch`, by the hand-written
   * backward pass. With e = out_μ − target, Σ = exp(ν·log β + (1−ν)·log β̃) and r = (β̃ + c·e²)/Σ per
   * coordinate:
   *   ∂L/∂out_μ = 2w·e/(B·d)   (L_simple only: μ is stop-gradiented in L_vlb)
   *   ∂L/∂raw   = λT/(B·d)·½·½(1 − r)(log β − log β̃)   (klSlopeNu, ν = (raw + 1)/2).
   * Also returns [L_simple, mean KL over t ≥ 1], both per coordinate. Call inside tf.tidy.
   */
  gradients(batch: VarianceBatch): {grads: tf.Tensor[]; losses: tf.Tensor1D} {
    const wide = widenedParams(this.params);
    const h = this.hybridTerms(batch, wide);
    const dRaw = tf.mul(tf.mul(tf.sub(1, h.r), h.span), tf.mul(h.gradVlb, 0.5));
    const dOut = tf.concat([tf.mul(h.e, h.gradMean), dRaw], 1) as tf.Tensor2D;
    const grads = splitWidened(this.model.backward(h.cache, dOut, wide), this.d);
    const counted = tf.cast(tf.greater(h.gradVlb, 0), "float32");
    const simple = tf.mul(tf.sum(tf.mul(tf.sum(tf.square(h.e), 1, true), h.gradMean)), 0.5);
    const vlb = tf.div(tf.sum(tf.mul(h.kl, counted)), tf.mul(tf.sum(counted), this.d));
    return {grads, losses: tf.stack([simple, vlb]) as tf.Tensor1D};
  }

  /**
   * L_hybrid = Σ_i w_i·|e_i|²/(B·d) + λT/(B·d)·Σ_{i,j} KL_ij on `batch` with the current weights, the
   * quantity whose gradient `gradients` returns. `fixedSquaredError` ([B, d]) stands in for e² inside
   * the KL: the stop-gradient, for a finite-difference check. Call inside tf.tidy.
   */
  hybridLoss(batch: VarianceBatch, fixedSquaredError?: tf.Tensor2D): tf.Scalar {
    const h = this.hybridTerms(batch, widenedParams(this.params), fixedSquaredError);
    const simple = tf.mul(tf.sum(tf.mul(tf.sum(tf.square(h.e), 1, true), h.gradMean)), 0.5);
    return tf.add(simple, tf.sum(tf.mul(h.kl, tf.mul(h.gradVlb, 2)))) as tf.Scalar;
  }

  /** (out_μ − target)² on `batch` with the current weights, [B, d]: the e² that hybridLoss may hold fixed. Call inside tf.tidy. */
  squaredError(batch: VarianceBatch): tf.Tensor2D {
    return tf.square(this.hybridTerms(batch, widenedParams(this.params)).e) as tf.Tensor2D;
  }

  /** The forward pass and the per-coordinate pieces of L_hybrid (see `gradients`). Call inside tf.tidy. */
  private hybridTerms(batch: VarianceBatch, wide: tf.Tensor[], fixedSquaredError?: tf.Tensor2D) {
    const B = this.config.batchSize, d = this.d;
    const input = tf.tensor2d(this.model.inputRows(batch.xt, batch.t), [B, this.model.inputSize]);
    const cache = this.model.forwardWithCache(input, wide);
    const [gradMean, gradVlb, logBeta, betaTilde, logBetaTilde, gapScale] = tf.split(tf.tensor2d(batch.columns, [B, VLB_COLUMNS]), VLB_COLUMNS, 1);
    const e = tf.sub(tf.slice(cache.out, [0, 0], [-1, d]), tf.tensor2d(batch.target, [B, d]));
    const nu = tf.mul(tf.add(tf.slice(cache.out, [0, d], [-1, d]), 1), 0.5);
    const span = tf.sub(logBeta, logBetaTilde);
    const logSigma = tf.add(tf.mul(nu, span), logBetaTilde);
    const r = tf.mul(tf.add(betaTilde, tf.mul(gapScale, fixedSquaredError ?? tf.square(e))), tf.exp(tf.neg(logSigma)));
    // KL = ½(log Σ − log β̃ + r − 1) per coordinate (gaussianKl); 0 on t = 0 rows, whose ends are set equal.
    const kl = tf.mul(tf.add(tf.sub(logSigma, logBetaTilde), tf.sub(r, 1)), 0.5);
    return {cache, e, r, span, kl, gradMean, gradVlb};
  }

  /** One Adam step on L_hybrid and an EMA update at step k (0-based); returns [L_simple, KL]. Call inside tf.tidy. */
  private hybridStep(batch: VarianceBatch, k: number): tf.Tensor1D {
    const {grads, losses} = this.gradients(batch);
    const next = this.adam.apply(this.params, grads, learningRateAt(k, this.config), k + 1);
    this.ema.update(next);
    return losses;
  }

  /** The raw (not averaged) parameters: mean network then head. */
  get parameters(): readonly tf.Variable[] {
    return this.params;
  }
}

/** Per-sample columns of a VarianceBatch: gradMean, gradVlb, log β, β̃, log β̃, c. */
const VLB_COLUMNS = 6;

/** One step's batch with the per-sample columns of L_vlb (VarianceTrainer.drawBatch). */
export interface VarianceBatch {
  t: Int32Array;
  xt: Float32Array;
  target: Float32Array;
  /** [B, VLB_COLUMNS] row-major; see VLB_COLUMNS. */
  columns: Float32Array;
}
