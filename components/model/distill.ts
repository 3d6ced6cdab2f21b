// Few-step students of a trained denoiser, each trained with the trainer's hand-written backward pass:
// every objective here is a (weighted) MSE on the network's output against a target that is computed
// per batch — by the teacher (progressive and consistency distillation) or from a coupling of data and
// noise (rectified flow) — so only the target changes from the Trainer's loop.
import * as tf from "../vendor/tfjs.js";
import {MLPDenoiser} from "./denoiser.js";
import {Adam} from "./adam.js";
import {EMA} from "./ema.js";
import {SharedTimeNetwork} from "./shared-time.js";
import {readings, runOnDevice, withNetwork} from "./device-sampler.js";
import type {DenoiserConfig} from "./denoiser-config.js";
import {ddimCoefficients, ddimRule} from "../samplers/ddim.js";
import {timesteps} from "../samplers/timesteps.js";
import {gridPlan, gridProgram, type GridRule} from "../samplers/grid.js";
import {fillNormal, normalFrom, rngFromSeed} from "../math/random.js";
import {alphaBarAt, type Schedule} from "../math/schedules.js";
import type {Points, Rng} from "../math/types.js";

/** Which student: progressive distillation, consistency distillation, or rectified flow. */
export type StudentKind = "pd" | "cm" | "rf";

/** What a Student is built from. */
export interface StudentOptions {
  kind: StudentKind;
  /** The network's configuration (the teacher's; d and T included). */
  config: DenoiserConfig;
  schedule: Schedule;
  /** The student's starting weights (paramSpecs order): the teacher's, or the previous round's. */
  init: Float32Array[];
  /** "pd", "cm": the weights whose outputs are the targets. */
  teacher?: Float32Array[];
  /** Training data x0 [n, d]: "pd", "cm", and "rf" without `pairs`. */
  data?: Points;
  /** "rf" reflow: couplings x0_i ↔ z_i, each [n, d], drawn together (Liu et al. 2023, §2.2). */
  pairs?: {x0: Points; z: Points};
  /** "pd": the student's step count N (its teacher takes 2N DDIM steps on the trailing grid). "cm": grid size N. */
  steps?: number;
  batchSize?: number;
  /** Adam's learning rate, decayed by a half cosine to lr/10 over `decaySteps`. */
  lr?: number;
  decaySteps?: number;
  /** "cm": decay μ of the target network θ⁻ (Song et al. 2023, Alg. 2). */
  targetDecay?: number;
  seed?: number;
}

/** One chunk's losses (each step's batch mean) and its wall time. */
export interface StudentChunk {
  step: number;
  losses: Float32Array;
  loss: number;
  ms: number;
}

/** One batch's uploads: the student's input rows, and the data that its target is computed from on device. */
interface Batch {
  rows: Float32Array;
  /** x_t (or x_τ), [B, d]. */
  x: Float32Array;
  /** "rf": the velocity target z − x0, [B, d]. */
  target?: Float32Array;
  /** Per-sample coefficients, each [B] (see the target builders). */
  coef: Record<string, Float32Array>;
  /** Per-sample timesteps: the student's t, [B] int32. */
  t: Int32Array;
  /** The intermediate t′ the teacher (pd) or target network (cm) reads next, [B] int32 (−1: clean data, not read). */
  t1?: Int32Array;
  /** Per-sample gradient factor 2·w_i/(B·d), [B]. */
  grad: Float32Array;
}

/** A student's timestep of τ ∈ (0, 1] for rectified flow: τ = (t + 1)/T, so t = τ·T − 1 ∈ [0, T−1]. */
export function flowTimestep(tau: number, T: number): number {
  return tau * T - 1;
}

/**
 * The timesteps of an N-step DDIM on the "trailing" grid (timesteps(T, N)): for N | 64 and T = 100
 * the N-step grid is every (64/N)-th point of the 64-step one, so a student's step from g_N[i] to
 * g_N[i+1] is exactly two teacher steps g_2N[2i] → g_2N[2i+1] → g_2N[2i+2] (Salimans & Ho 2022, Alg. 2).
 */
export function studentGrid(T: number, N: number): number[] {
  return timesteps(T, N, {spacing: "trailing"});
}

/**
 * A few-step student of a denoiser. Owns its tensors; dispose() frees them.
 *
 * - "pd", progressive distillation (Salimans & Ho 2022, Alg. 2): for x_t on the student's N-step grid,
 *   two DDIM steps of the teacher t → t′ → t″ give x_t″; the x0 that one DDIM step would need to land
 *   there is x̃ = (x_t″ − (σ″/σ)·x_t)/(α″ − (σ″/σ)·α) (x̃ = x_t″ when t″ is clean data), and the
 *   student regresses its output onto the output that predicts x̃. For v-prediction the MSE on v is
 *   the paper's "SNR + 1" weighting of the x0 error.
 * - "cm", consistency distillation (Song, Dhariwal, Chen & Sutskever 2023, Alg. 2): on an N-point grid
 *   t_1 < … < t_N with t_0 = clean data, x_{t_n} from the data, one teacher DDIM step to x̂_{t_{n−1}},
 *   and the loss |f_θ(x_{t_n}) − f_θ⁻(x̂_{t_{n−1}})|² with f the network's x̂0 (f = identity at t_0:
 *   the boundary condition) and θ⁻ an EMA of θ.
 * - "rf", rectified flow (Liu, Gong & Liu 2023, eq. 1): x_τ = (1−τ)·x0 + τ·z, target z − x0, on
 *   independent (x0, z) or on the couplings of a previous flow (reflow).
 */
export class Student {
  readonly kind: StudentKind;
  readonly schedule: Schedule;
  readonly model: MLPDenoiser;
  readonly d: number;
  private readonly teacher: MLPDenoiser | null;
  private readonly target: EMA | null;
  private readonly adam: Adam;
  private readonly options: Required<Omit<StudentOptions, "teacher" | "data" | "pairs">> & Pick<StudentOptions, "data" | "pairs">;
  private readonly rng: Rng;
  private readonly normal: () => number;
  private readonly grid: number[];
  private stepCount = 0;

  constructor(options: StudentOptions) {
    const {kind, config, schedule, init, teacher} = options;
    this.options = {batchSize: 256, lr: 1e-3, decaySteps: 400, targetDecay: 0.95, seed: 0, steps: kind === "cm" ? 20 : 1, ...options};
    if (schedule.T !== config.T) throw new Error(`Student: the network was built for T = ${config.T}, the schedule has T = ${schedule.T}`);
    if ((kind === "pd" || kind === "cm") && !teacher) throw new Error(`Student: a "${kind}" student needs teacher weights`);
    if (kind === "rf" ? !(options.pairs || options.data) : !options.data) throw new Error(`Student: a "${kind}" student needs training data`);
    this.kind = kind;
    this.schedule = schedule;
    this.d = config.d;
    this.rng = rngFromSeed(this.options.seed);
    this.normal = normalFrom(this.rng);
    this.model = new MLPDenoiser(config, init);
    this.teacher = teacher && kind !== "rf" ? new MLPDenoiser(config, teacher) : null;
    this.target = kind === "cm" ? new EMA(this.model.params, this.options.targetDecay, "none") : null;
    this.adam = new Adam(this.model.specs.map((s) => s.shape), 0.9, 0.999);
    const N = this.options.steps;
    this.grid = kind === "pd" ? studentGrid(config.T, 2 * N) : kind === "cm" ? studentGrid(config.T, N).reverse() : [];
  }

  /** Adam steps taken. */
  get step(): number {
    return this.stepCount;
  }

  /** Learning rate at step k: a half cosine from lr to lr/10 over decaySteps, then lr/10. */
  learningRate(k: number): number {
    const {lr, decaySteps} = this.options;
    const u = Math.min(1, k / decaySteps);
    return lr * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * u)));
  }

  /** `steps` Adam steps inside one tf.tidy, then one readback of each step's per-sample weighted errors. */
  async runChunk(steps: number): Promise<StudentChunk> {
    if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`Student.runChunk: steps must be a positive integer, got ${steps}`);
    const start = performance.now();
    const B = this.options.batchSize;
    const errors = tf.tidy(() => {
      const parts: tf.Tensor[] = [];
      for (let s = 0; s < steps; ++s) parts.push(tf.tidy(() => this.trainStep(this.batch(), this.stepCount++)));
      return tf.concat(parts);
    });
    const all = (await errors.data()) as Float32Array;
    errors.dispose();
    const losses = new Float32Array(steps);
    for (let s = 0; s < steps; ++s) {
      let sum = 0;
      for (let i = 0; i < B; ++i) sum += all[s * B + i];
      losses[s] = sum / (B * this.d);
    }
    return {step: this.stepCount, losses, loss: losses.reduce((a, b) => a + b, 0) / steps, ms: performance.now() - start};
  }

  /** The student's weights read back, in paramSpecs order (the next round's teacher and start). */
  async weights(): Promise<Float32Array[]> {
    return this.model.exportWeights();
  }

  /**
   * Samples from x_T = z ([n, d]) with the student's own sampler: "pd" DDIM on its N-step grid, "cm"
   * consistency sampling at `times` (default: one step from T−1; re-noising draws from `seed`), "rf"
   * Euler in `steps` steps. With `path`, every state as well (for curvature). Leaves numTensors as it
   * found it.
   */
  async sample(z: Points, {steps, times, seed = 0, path = false}: {steps?: number; times?: number[]; seed?: number; path?: boolean} = {}): Promise<{x: Points; nfe: number; path?: Points[]}> {
    if (this.kind === "rf") return flowSample(this.model, {z}, steps ?? 1, path);
    const ts = this.kind === "pd" ? studentGrid(this.schedule.T, this.options.steps) : times ?? [this.schedule.T - 1];
    const rule = this.kind === "pd" ? ddimRule(0) : consistencyRule();
    const program = gridProgram(gridPlan(this.schedule, {steps: ts.length, timesteps: ts}, rule));
    const states: Points[] = [];
    await withNetwork(this.model, this.model.params, async (net) => {
      for await (const chunk of runOnDevice(net, this.schedule, program, z, {rng: rngFromSeed(seed), record: path})) states.push(...chunk.map((s) => s.x));
    });
    return {x: states[states.length - 1], nfe: program.stages.length, path: path ? states : undefined};
  }

  dispose(): void {
    this.model.dispose();
    this.teacher?.dispose();
    this.target?.dispose();
    this.adam.dispose();
  }

  /** Draws one batch in JS. */
  private batch(): Batch {
    const B = this.options.batchSize, d = this.d, T = this.schedule.T;
    const x = new Float32Array(B * d), grad = new Float32Array(B).fill(2 / (B * d));
    const t = new Int32Array(B), coef: Record<string, Float32Array> = {};
    const u = this.rng();
    if (this.kind === "rf") {
      const {pairs, data} = this.options;
      const n = (pairs ? pairs.x0 : data!).length / d, target = new Float32Array(B * d);
      for (let i = 0; i < B; ++i) {
        t[i] = Math.min(T - 1, Math.floor(((u + i / B) % 1) * T));
        const tau = (t[i] + 1) / T, j = Math.floor(this.rng() * n);
        for (let c = 0; c < d; ++c) {
          const x0 = pairs ? pairs.x0[j * d + c] : data![j * d + c], z = pairs ? pairs.z[j * d + c] : this.normal();
          x[i * d + c] = (1 - tau) * x0 + tau * z;
          target[i * d + c] = z - x0;
        }
      }
      return {rows: this.model.inputRows(x, t), x, t, target, coef, grad};
    }
    const data = this.options.data!, n = data.length / d, g = this.grid, pred = this.model.config.prediction;
    const t1 = new Int32Array(B);
    const names = ["ax", "ao", "bx", "bo", "px", "pq", "ox", "oq"];
    for (const k of names) coef[k] = new Float32Array(B);
    const ab = (s: number) => (s < 0 ? 1 : alphaBarAt(this.schedule, s));
    for (let i = 0; i < B; ++i) {
      // Stratified over the student's steps (pd) or grid points (cm).
      const slots = this.kind === "pd" ? g.length / 2 : g.length;
      const k = Math.min(slots - 1, Math.floor(((u + i / B) % 1) * slots));
      let tFrom: number, tMid: number, tTo: number;
      if (this.kind === "pd") [tFrom, tMid, tTo] = [g[2 * k], g[2 * k + 1], 2 * k + 2 < g.length ? g[2 * k + 2] : -1];
      else [tFrom, tMid, tTo] = [g[k], k > 0 ? g[k - 1] : -1, -1];
      t[i] = tFrom; t1[i] = tMid;
      const abT = ab(tFrom), sa = Math.sqrt(abT), so = Math.sqrt(1 - abT);
      const j = Math.floor(this.rng() * n);
      for (let c = 0; c < d; ++c) x[i * d + c] = sa * data[j * d + c] + so * this.normal();
      // First teacher step t → t′: x′ = ax·x + ao·out(x, t).
      const step1 = ddimCoefficients(abT, ab(tMid), 0), r1 = readings(pred, sa, so);
      coef.ax[i] = step1.x0 * r1.x0.x + step1.eps * r1.eps.x;
      coef.ao[i] = step1.x0 * r1.x0.out + step1.eps * r1.eps.out;
      // The student's output o that predicts a wanted x̂0 w at t: w = r1.x0.x·x + r1.x0.out·o.
      coef.ox[i] = -r1.x0.x / r1.x0.out;
      coef.oq[i] = 1 / r1.x0.out;
      if (this.kind === "pd") {
        // Second teacher step t′ → t″ (t′ is never clean data: the finer grid has a point between).
        const abM = ab(tMid), sm = Math.sqrt(abM), som = Math.sqrt(1 - abM), step2 = ddimCoefficients(abM, ab(tTo), 0), r2 = readings(pred, sm, som);
        coef.bx[i] = step2.x0 * r2.x0.x + step2.eps * r2.eps.x;
        coef.bo[i] = step2.x0 * r2.x0.out + step2.eps * r2.eps.out;
        // x̃ = px·x + pq·x″ with x″ the teacher's result at t″.
        const abTo = ab(tTo), aT = Math.sqrt(abTo), sT = Math.sqrt(1 - abTo), ratio = sT / so;
        const denom = aT - ratio * sa;
        coef.px[i] = -ratio / denom;
        coef.pq[i] = 1 / denom;
      } else {
        // f_θ⁻ at t′ is the target network's x̂0: w = r′.x0.x·x′ + r′.x0.out·o′ (identity when t′ is clean).
        const abM = ab(tMid), r2 = readings(pred, Math.sqrt(abM), Math.sqrt(1 - abM));
        coef.bx[i] = tMid < 0 ? 1 : r2.x0.x;
        coef.bo[i] = tMid < 0 ? 0 : r2.x0.out;
        // Loss on x̂0: |r1.x0.out·(o − o*)|², so each sample's gradient factor carries r1.x0.out².
        grad[i] *= r1.x0.out ** 2;
      }
    }
    return {rows: this.model.inputRows(x, t), x, t, coef, t1, grad};
  }

  /** The regression target of the student's output, [B, d], computed on device from the batch. */
  private targetOf(batch: Batch, B: number): tf.Tensor2D {
    const d = this.d, col = (k: string) => tf.tensor2d(batch.coef[k], [B, 1]);
    if (this.kind === "rf") return tf.tensor2d(batch.target!, [B, d]);
    const x = tf.tensor2d(batch.x, [B, d]);
    const teacher = this.teacher!;
    const outAt = (m: MLPDenoiser, xs: tf.Tensor2D, t: Int32Array, params?: readonly tf.Tensor[]) =>
      m.forward(xs, m.embedding.gather(tf.tensor1d(t.map((s) => Math.max(s, 0)), "int32")), params);
    const x1 = tf.add(tf.mul(x, col("ax")), tf.mul(outAt(teacher, x, batch.t), col("ao"))) as tf.Tensor2D;
    let wanted: tf.Tensor2D;
    if (this.kind === "pd") {
      const x2 = tf.add(tf.mul(x1, col("bx")), tf.mul(outAt(teacher, x1, batch.t1!), col("bo")));
      wanted = tf.add(tf.mul(x, col("px")), tf.mul(x2, col("pq"))) as tf.Tensor2D;
    } else {
      const params = this.target!.weights();
      wanted = tf.add(tf.mul(x1, col("bx")), tf.mul(outAt(this.model, x1, batch.t1!, params), col("bo"))) as tf.Tensor2D;
    }
    return tf.add(tf.mul(x, col("ox")), tf.mul(wanted, col("oq"))) as tf.Tensor2D;
  }

  /** One Adam step on a batch; returns each sample's weighted squared error ([B]). Call inside tf.tidy. */
  private trainStep(batch: Batch, k: number): tf.Tensor1D {
    const B = this.options.batchSize, d = this.d;
    const target = this.targetOf(batch, B);
    const cache = this.model.forwardWithCache(tf.tensor2d(batch.rows, [B, this.model.inputSize]));
    const diff = tf.sub(cache.out, target) as tf.Tensor2D;
    const g = tf.tensor2d(batch.grad, [B, 1]);
    const grads = this.model.backward(cache, tf.mul(diff, g) as tf.Tensor2D);
    const next = this.adam.apply(this.model.params, grads, this.learningRate(k), k + 1);
    this.target?.update(next);
    // Per-sample error in the loss's own weighting: |diff|²·grad·B·d/2 = w_i·|diff|².
    return tf.mul(tf.sum(tf.square(diff), 1), tf.mul(tf.reshape(g, [-1]), (B * d) / 2)) as tf.Tensor1D;
  }
}

/**
 * Multistep consistency sampling (Song et al. 2023, Alg. 1) as a grid rule: at each visited t the
 * network's x̂0 = f(x_t, t) is re-noised to the next timestep with fresh noise, x_s = √ᾱ_s·x̂0 + √(1−ᾱ_s)·z;
 * the last step returns x̂0.
 */
export function consistencyRule(): GridRule {
  return {step: (_abT, abS) => ({x0: Math.sqrt(abS), eps: 0, z: Math.sqrt(Math.max(0, 1 - abS))})};
}

/**
 * Euler's method on a rectified flow network's ODE from τ = 1 to 0 in `steps` equal steps, x_1 = z
 * drawn from `rng` (or given), the state a tensor throughout: x ← x − (1/steps)·v(x, τ), v the
 * network's output at timestep flowTimestep(τ). With `path`, every state is read back.
 */
export async function flowSample(model: MLPDenoiser, start: {n: number; rng: Rng} | {z: Points}, steps: number, path = false): Promise<{x: Points; nfe: number; path?: Points[]}> {
  const {d, T} = model.config;
  const z = "z" in start ? start.z : fillNormal(new Float64Array(start.n * d), start.rng);
  const n = z.length / d, states: Points[] = [Float64Array.from(z)];
  const net = new SharedTimeNetwork(model);
  let x = tf.tensor2d(Float32Array.from(z), [n, d]);
  try {
    for (let i = 0; i < steps; ++i) {
      const tau = 1 - i / steps;
      const next = tf.tidy(() => tf.sub(x, tf.mul(net.forward(x, flowTimestep(tau, T)), 1 / steps)) as tf.Tensor2D);
      x.dispose();
      x = next;
      if (path) states.push(Float64Array.from(await x.data()));
    }
    const result = Float64Array.from(await x.data());
    return path ? {x: result, nfe: steps, path: states} : {x: result, nfe: steps};
  } finally {
    x.dispose();
    net.dispose();
  }
}

/**
 * A rectified-flow network's velocity v_θ(x, τ) at `points` [n, d] for each τ of `taus`: its output at
 * timestep flowTimestep(τ), as flowSample integrates it. Returns one [n, d] array per τ (one read-back
 * for all of them).
 */
export async function flowField(model: MLPDenoiser, points: Points, taus: readonly number[]): Promise<Float64Array[]> {
  const {d, T} = model.config, n = points.length / d;
  const net = new SharedTimeNetwork(model);
  const x = tf.tensor2d(Float32Array.from(points), [n, d]);
  const all = tf.tidy(() => tf.concat(taus.map((tau) => net.forward(x, flowTimestep(tau, T)))));
  try {
    const values = await all.data();
    return taus.map((_, i) => Float64Array.from(values.subarray(i * n * d, (i + 1) * n * d)));
  } finally {
    tf.dispose([all, x]);
    net.dispose();
  }
}
