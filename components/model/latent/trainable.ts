// What every network of the latent-diffusion chapter shares: parameters with Adam and EMA, a seeded
// random stream for its batches, and training in chunks — each step inside its own tf.tidy, the
// chunk's losses and the full state read back with one await at the end, and a chunk whose loss is
// not finite or explodes rejected, with everything put back to the last good chunk.
import * as tf from "../../vendor/tfjs.js";
import {rngFromSeed} from "../../math/random.js";
import type {Rng} from "../../math/types.js";
import {initialValues, type ParamSpec, type Params} from "./layers.js";
import {ParamSet, flatten, type ParamSnapshot} from "./param-set.js";
import {learningRateAt, type TrainingPlan} from "./recipe.js";

/** What one chunk did. */
export interface ChunkResult {
  /** Steps taken in total after this chunk (after a divergence: the restored count). */
  step: number;
  /** Steps in this chunk. */
  steps: number;
  /** Loss of each step, and their mean. */
  losses: Float32Array;
  loss: number;
  /** Learning rate of the chunk's last step. */
  lr: number;
  /** Wall time including the readback, ms. */
  ms: number;
  /** Why the chunk was rejected (state restored to the previous chunk's), or null. */
  diverged: string | null;
}

/** A step loss more than this many times the running median of recent losses counts as divergence. */
const EXPLODE = 1e3;

export abstract class Trainable {
  readonly specs: readonly ParamSpec[];
  readonly plan: TrainingPlan;
  set: ParamSet;
  protected rng: Rng;
  private good: ParamSnapshot;
  private recent: number[] = [];

  /** Starts from `state` (a snapshot, or EMA-only weights) or from seeded random weights. */
  constructor(specs: readonly ParamSpec[], plan: TrainingPlan, seed: number, state?: ParamSnapshot | Float32Array) {
    this.specs = specs;
    this.plan = plan;
    this.rng = rngFromSeed(seed);
    const initial = state ?? flatten(initialValues(specs, this.rng));
    this.set = initial instanceof Float32Array ? ParamSet.fromWeights(specs, initial) : new ParamSet(specs, initial);
    const zeros = () => new Float32Array(this.set.size);
    this.good = initial instanceof Float32Array ? {step: 0, weights: initial, ema: initial, adamM: zeros(), adamV: zeros()} : initial;
  }

  /** Steps taken so far. */
  get stepCount(): number {
    return this.set.step;
  }

  /** The loss of one training step on fresh random draws (called inside tf.tidy). */
  protected abstract stepLoss(p: Params): tf.Scalar;

  /** `steps` training steps; see the file comment. */
  async runChunk(steps: number): Promise<ChunkResult> {
    const start = performance.now();
    const losses: tf.Scalar[] = [];
    let lr = NaN;
    try {
      for (let i = 0; i < steps; ++i) {
        lr = learningRateAt(this.set.step, this.plan);
        losses.push(tf.tidy(() => this.set.adamStep((p) => this.stepLoss(p), this.plan, lr)));
      }
      const stacked = tf.stack(losses);
      tf.dispose(losses);
      const [values, state] = await Promise.all([stacked.data() as Promise<Float32Array>, this.set.snapshot()]);
      stacked.dispose();
      const diverged = this.check(values, state);
      if (diverged) this.set.restore(this.good);
      else this.good = state;
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      return {step: this.set.step, steps, losses: values, loss: mean, lr, ms: performance.now() - start, diverged};
    } catch (e) {
      tf.dispose(losses);
      // A failed chunk (e.g. a lost GPU context) must not leave half-updated weights behind.
      try { this.set.restore(this.good); } catch { /* the backend is gone; rebuild() recreates */ }
      throw e;
    }
  }

  /** Why this chunk cannot be kept (a NaN, or a loss that exploded), or null. */
  private check(losses: Float32Array, state: ParamSnapshot): string | null {
    const bad = losses.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) return `the loss became ${losses[bad]} at step ${state.step - losses.length + bad + 1}; restored step ${this.good.step}`;
    if (!state.weights.every(Number.isFinite)) return `a weight became non-finite; restored step ${this.good.step}`;
    if (this.recent.length >= 10) {
      const sorted = [...this.recent].sort((a, b) => a - b), median = sorted[sorted.length >> 1];
      const worst = Math.max(...losses);
      if (worst > EXPLODE * median) return `the loss jumped to ${worst.toExponential(2)} (${EXPLODE}× the recent median); restored step ${this.good.step}`;
    }
    this.recent.push(...losses);
    if (this.recent.length > 200) this.recent.splice(0, this.recent.length - 200);
    return null;
  }

  /** A copy of the last good state (what a backend switch carries over). */
  lastGood(): ParamSnapshot {
    const g = this.good;
    return {step: g.step, weights: g.weights.slice(), ema: g.ema.slice(), adamM: g.adamM.slice(), adamV: g.adamV.slice()};
  }

  /** Replaces the state with `weights` as live and EMA weights, a fresh optimiser, at step `step`. */
  load(weights: Float32Array, step = 0): void {
    const zeros = new Float32Array(weights.length);
    this.good = {step, weights, ema: weights, adamM: zeros, adamV: zeros.slice()};
    this.set.restore(this.good);
  }

  /** Recreates every tensor from the last good state on the current backend (after a backend switch). */
  rebuild(): void {
    try { this.set.dispose(); } catch { /* a lost backend cannot free its tensors */ }
    this.set = new ParamSet(this.specs, this.good);
  }

  /** The EMA weights, flat (what the shipped file holds). */
  emaWeights(): Float32Array {
    return this.good.ema.slice();
  }

  dispose(): void {
    this.set.dispose();
  }
}
