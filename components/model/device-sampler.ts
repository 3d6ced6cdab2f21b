// Any sampler's program (samplers/program.ts) run beside a trained network on its tfjs backend: the
// state x_t and the register p stay tensors from one evaluation to the next, and only what a page
// draws comes back — every state's x and x̂0 in a few chunked readbacks, or just the final samples.
// On a GPU each readback is a pipeline stall; on wasm it saves the copies and the JS loops.
import * as tf from "../vendor/tfjs.js";
import {dense, SharedTimeNetwork, type TimeBiases} from "./shared-time.js";
import {readTensors, type MLPDenoiser} from "./denoiser.js";
import type {Prediction} from "./denoiser-config.js";
import type {WeightSource} from "./network-denoiser.js";
import {oneHotRows} from "./conditional-network.js";
import {alphaBarAt, type Schedule} from "../math/schedules.js";
import {fillNormal} from "../math/random.js";
import type {Rng} from "../math/types.js";
import {needRng, startPoints, type SampleResult, type SamplerState, type Start} from "../samplers/common.js";
import type {Combo, SamplerProgram} from "../samplers/program.js";

/** A linear reading of the network: value = x·x_t + out·(network output). */
export interface Reading {
  x: number;
  out: number;
}

/**
 * ε̂ and x̂0 as linear in x_t and the network output, for each prediction type, given
 * sa = √ᾱ_t and so = √(1−ᾱ_t) (from x_t = sa·x0 + so·ε and v = sa·ε − so·x0, Salimans & Ho 2022, §4):
 *   ε:  ε̂ = out,              x̂0 = (x_t − so·out)/sa
 *   x0: ε̂ = (x_t − sa·out)/so, x̂0 = out
 *   v:  ε̂ = so·x_t + sa·out,  x̂0 = sa·x_t − so·out
 */
export function readings(prediction: Prediction, sa: number, so: number): {eps: Reading; x0: Reading} {
  switch (prediction) {
    case "eps": return {eps: {x: 0, out: 1}, x0: {x: 1 / sa, out: -so / sa}};
    case "x0": return {eps: {x: 1 / so, out: -sa / so}, x0: {x: 0, out: 1}};
    case "v": return {eps: {x: so, out: sa}, x0: {x: sa, out: -so}};
  }
}

/** Options of {@link runOnDevice}. */
export interface DeviceRunOptions {
  /** Source of x_T (when `{n}`) and of every stage's noise, drawn in the order runProgram draws them. */
  rng?: Rng;
  /** Read back every state's x and x̂0 (what /sampling draws); otherwise only the final state's x. */
  record?: boolean;
  /** States per readback when recording; default 25 (DDPM-100 comes back in 4 chunks, DDIM-50 in 2). */
  chunk?: number;
  /**
   * For a conditional network, the class each row is asked for (−1: the null class), one per point;
   * absent: the null class for all. Uploaded once as one-hot rows, so rows of several classes run as
   * one batch.
   */
  labels?: ArrayLike<number>;
}

/**
 * One output of a stage (x', and p' or x̂0 when the stage sets them) as the backend computes it:
 *   value = h·w + b + k.x·x + k.p·p + k.z·z,
 * h being the network's last hidden layer: the combo's coefficient of the network output is folded
 * into the output layer (w = W_L·k.out, b = b_L(t)·k.out, in Float64 before rounding), so a step
 * launches no kernel for the output itself, and the other terms are SIMD elementwise kernels (a
 * concat of [x | out] on wasm is a JS loop over rows: it cost more than the network's last layer).
 */
interface Output {
  /** [width, d] and [d], or null when the combo does not read the network. */
  head: {w: tf.Tensor3D; b: tf.Tensor1D} | null;
  x: number;
  p: number;
  z: number;
}

/** One stage made ready for the backend: its biases (e(t) folded in) and its outputs. */
interface Prepared {
  biases: TimeBiases;
  x: Output;
  p: Output | null;
  x0: Output | null;
}

/**
 * A combo of (x, p, ε̂, z) as coefficients of (x, network output, p, z): ε̂ = r.x·x + r.out·out
 * for the prediction type at this t (`readings`).
 */
function expand(c: Combo, eps: Reading): {x: number; out: number; p: number; z: number} {
  const e = c.eps ?? 0;
  return {x: (c.x ?? 0) + e * eps.x, out: e * eps.out, p: c.p ?? 0, z: c.z ?? 0};
}

/** Every stage's biases and outputs as tensors, from one readback of the network's biases and output layer. */
async function prepare(net: SharedTimeNetwork, schedule: Schedule, prog: SamplerProgram, record: boolean): Promise<Prepared[]> {
  const {prediction, depth} = net.model.config;
  const [rows, [wLast]] = await Promise.all([net.readBiases(prog.stages.map((s) => s.t)), readTensors([net.last.w])]);
  return prog.stages.map((stage, s) => {
    const ab = alphaBarAt(schedule, stage.t);
    const {eps} = readings(prediction, Math.sqrt(ab), Math.sqrt(1 - ab));
    const output = (c: Combo | undefined): Output | null => {
      if (!c) return null;
      const k = expand(c, eps);
      const head = k.out === 0 ? null : {
        w: tf.tensor3d(Float32Array.from(wLast, (v) => v * k.out), net.last.w.shape),
        b: tf.tensor1d(Float32Array.from(rows[s][depth], (v) => v * k.out)),
      };
      return {head, x: k.x, p: k.p, z: k.z};
    };
    return {biases: net.uploadBiases(rows[s]), x: output(stage.x)!, p: output(stage.p), x0: record ? output(stage.x0) : null};
  });
}

/** Σ of an output's terms: h·w + b, then k.x·x, k.p·p and the noise z already scaled by k.z. Call in tf.tidy. */
function evaluate(o: Output, h: tf.Tensor3D, x: tf.Tensor3D, p: tf.Tensor3D | null, z: tf.Tensor3D | null): tf.Tensor3D {
  const terms: tf.Tensor3D[] = [];
  if (o.head) terms.push(dense(h, o.head.w, o.head.b));
  if (o.x) terms.push(tf.mul(x, o.x));
  if (o.p) terms.push(tf.mul(p!, o.p));
  if (o.z) terms.push(z!);
  if (terms.length === 0) return tf.zerosLike(x);
  return terms.reduce((sum, t) => tf.add(sum, t));
}

/** Every tensor `prepare` made. */
function preparedTensors(prepared: Prepared[]): tf.Tensor[] {
  return prepared.flatMap((q) => [...q.biases.filter((b): b is tf.Tensor1D => !!b), ...[q.x, q.p, q.x0].flatMap((o) => (o?.head ? [o.head.w, o.head.b] : []))]);
}

/**
 * Runs `prog` with `net`, keeping x (and the register p) as tensors. x_T comes from `xT` (drawn from
 * `options.rng` when `{n}`), each noisy stage's z from the same rng in stage order and uploaded, so
 * with a networkDenoiser of the same weights `runProgram` (and the sampler the program came from)
 * gives the same states up to float32 rounding. Before the loop, one readback of the network's biases
 * and output layer makes every stage's biases (e(t) folded in) and output layers (the update's
 * coefficient of the network output folded in, see `Output`); a stage is then the network's hidden
 * layers, one output layer per output (x', and p' or x̂0 when the stage sets them) and an
 * elementwise multiply-add per other term (x, p, or z, which is scaled in JS before its upload).
 * Yields the states in chunks: with `record`, state 0 first and every state's x and x̂0, read back
 * `chunk` states at a time in one readback each; without, one chunk holding only the final state
 * (x̂0 null). Leaves tf.memory().numTensors as it found it, also when the consumer stops early.
 */
export async function* runOnDevice(net: SharedTimeNetwork, schedule: Schedule, prog: SamplerProgram, xT: Start, options: DeviceRunOptions = {}): AsyncGenerator<SamplerState[], void, void> {
  const {d, T} = net.model.config;
  if (schedule.T !== T) throw new Error(`runOnDevice: the network was built for T = ${T}, the schedule has T = ${schedule.T}`);
  const record = options.record ?? false, chunk = Math.max(1, options.chunk ?? 25);
  const noise = prog.noisy ? needRng(options.rng, "a stochastic sampler") : undefined;
  const start = startPoints(xT, d, options.rng);
  const n = start.length / d;
  const {classes} = net.model.config;
  if (options.labels && options.labels.length !== n) throw new RangeError(`runOnDevice: ${options.labels.length} labels for ${n} points`);
  const prepared = await prepare(net, schedule, prog, record);
  const onehot = options.labels && classes ? tf.tensor3d(oneHotRows(options.labels, classes), [1, n, classes]) : undefined;
  let x = tf.tensor3d(Float32Array.from(start), [1, n, d]);
  let p: tf.Tensor3D | null = null;
  /** States computed but not read back yet: x (kept alive: the last one is the running state) and x̂0. */
  let pending: {state: Omit<SamplerState, "x" | "x0">; x: tf.Tensor3D; x0: tf.Tensor3D | null}[] = [];
  let x0: tf.Tensor3D | null = null;
  try {
    if (record) yield [{i: 0, steps: prog.steps, ...prog.start, x: start, x0: null, nfe: 0}];
    let i = 0;
    for (let s = 0; s < prepared.length; s++) {
      const stage = prog.stages[s], q = prepared[s];
      const z = noise && q.x.z !== 0 ? fillNormal(new Float64Array(n * d), noise) : null;
      const {next, nextP, nextX0} = tf.tidy(() => {
        const h = net.hidden(x, q.biases, onehot);
        const scaledZ = z ? tf.tensor3d(Float32Array.from(z, (v) => v * q.x.z), [1, n, d]) : null;
        return {next: evaluate(q.x, h, x, p, scaledZ), nextP: q.p ? evaluate(q.p, h, x, p, null) : undefined, nextX0: q.x0 ? evaluate(q.x0, h, x, p, null) : undefined};
      });
      if (nextX0) { x0?.dispose(); x0 = nextX0; }
      if (nextP) { p?.dispose(); p = nextP; }
      // The old x stays alive while a pending state still holds it.
      if (!pending.some((q) => q.x === x)) x.dispose();
      x = next;
      if (!stage.state) continue;
      if (record) {
        pending.push({state: {i: ++i, steps: prog.steps, ...stage.state, nfe: s + 1}, x, x0});
        x0 = null;
        if (pending.length >= chunk || s + 1 === prepared.length) {
          const batch = pending;
          pending = [];
          yield await readBack(batch, x, n * d);
        }
      } else if (s + 1 === prepared.length) {
        const values = Float64Array.from(await x.data());
        yield [{i: prog.steps, steps: prog.steps, ...stage.state, x: values, x0: null, nfe: s + 1}];
      }
    }
  } finally {
    for (const q of pending) { if (q.x !== x) q.x.dispose(); q.x0?.dispose(); }
    tf.dispose([x, ...(p ? [p] : []), ...(x0 ? [x0] : []), ...(onehot ? [onehot] : []), ...preparedTensors(prepared)]);
  }
}

/** Every pending state's x and x̂0 in one readback; frees them all but `live` (the running state). */
async function readBack(batch: {state: Omit<SamplerState, "x" | "x0">; x: tf.Tensor3D; x0: tf.Tensor3D | null}[], live: tf.Tensor3D, size: number): Promise<SamplerState[]> {
  const parts = batch.flatMap((q) => (q.x0 ? [q.x, q.x0] : [q.x]));
  const packed = parts.length === 1 ? parts[0] : tf.concat(parts, 0);
  try {
    const values = await packed.data();
    let offset = 0;
    const take = () => Float64Array.from(values.subarray(offset, (offset += size)));
    return batch.map((q) => ({...q.state, x: take(), x0: q.x0 ? take() : null}));
  } finally {
    if (packed !== parts[0]) packed.dispose();
    for (const q of batch) { if (q.x !== live) q.x.dispose(); q.x0?.dispose(); }
  }
}

/** Runs `prog` on the device to the end and reads back only the samples: {x, nfe}; `labels` as runOnDevice's. */
export async function sampleOnDeviceProgram(net: SharedTimeNetwork, schedule: Schedule, prog: SamplerProgram, xT: Start, rng?: Rng, labels?: ArrayLike<number>): Promise<SampleResult> {
  let last: SamplerState | undefined;
  for await (const states of runOnDevice(net, schedule, prog, xT, {rng, labels})) last = states.at(-1);
  return {x: last!.x, nfe: last!.nfe};
}

/**
 * Runs `f` with a SharedTimeNetwork of `model` and `weights` (a list that outlives the call, such as
 * the model's own variables, or a function that makes fresh tensors, such as an EMA's weights(),
 * freed afterwards) and frees the network, also when `f` throws.
 */
export async function withNetwork<T>(model: MLPDenoiser, weights: WeightSource, f: (net: SharedTimeNetwork) => Promise<T>): Promise<T> {
  const params = typeof weights === "function" ? weights() : weights;
  const net = new SharedTimeNetwork(model, params);
  try {
    return await f(net);
  } finally {
    net.dispose();
    if (typeof weights === "function") tf.dispose(params as tf.Tensor[]);
  }
}

/** A trainer's network, EMA and schedule: what sampling from its EMA weights needs (Trainer, ConditionalTrainer). */
export interface EmaModel {
  model: MLPDenoiser;
  ema: {weights(): tf.Tensor[]};
  schedule: Schedule;
}

/** Runs `prog` on the device with the trainer's EMA weights (fresh tensors, freed afterwards): the samples. */
export function sampleEma(trainer: EmaModel, prog: SamplerProgram, xT: Start, rng?: Rng, labels?: ArrayLike<number>): Promise<SampleResult> {
  return withNetwork(trainer.model, () => trainer.ema.weights(), (net) => sampleOnDeviceProgram(net, trainer.schedule, prog, xT, rng, labels));
}
