// Any sampler's program (samplers/program.ts) run beside a trained network on its tfjs backend: the
// state x_t and the register p stay tensors from one evaluation to the next, and only what a page
// draws comes back — every state's x and x̂0 in a few chunked readbacks, or just the final samples.
// On a GPU each readback is a pipeline stall; on wasm it saves the copies and the JS loops.
import * as tf from "../vendor/tfjs.js";
import type {SharedTimeNetwork} from "./shared-time.js";
import {readings, type Reading} from "./grid-sampler.js";
import {alphaBarAt, type Schedule} from "../math/schedules.js";
import {fillNormal} from "../math/random.js";
import type {Rng} from "../math/types.js";
import {needRng, startPoints, type SampleResult, type SamplerState, type Start} from "../samplers/common.js";
import type {Combo, SamplerProgram} from "../samplers/program.js";

/** Options of {@link runOnDevice}. */
export interface DeviceRunOptions {
  /** Source of x_T (when `{n}`) and of every stage's noise, drawn in the order runProgram draws them. */
  rng?: Rng;
  /** Read back every state's x and x̂0 (what /sampling draws); otherwise only the final state's x. */
  record?: boolean;
  /** States per readback when recording; default 25 (DDPM-100 comes back in 4 chunks, DDIM-50 in 2). */
  chunk?: number;
}

/** The inputs a stage's affine update reads, in the column order of its coefficient matrices. */
type Input = "x" | "out" | "p" | "z";

/** One stage made ready for the backend: which inputs it concatenates and a matrix per output. */
interface Prepared {
  t: number;
  inputs: Input[];
  /** [inputs·d, d] each: x' = [x | out | p | z]·mx, and likewise p' and x̂0. */
  mx: tf.Tensor2D;
  mp: tf.Tensor2D | null;
  m0: tf.Tensor2D | null;
}

/**
 * A combo of (x, p, ε̂, z) as coefficients of (x, network output, p, z): ε̂ = r.x·x + r.out·out
 * for the prediction type at this t (grid-sampler's `readings`).
 */
function expand(c: Combo, eps: Reading): Record<Input, number> {
  const e = c.eps ?? 0;
  return {x: (c.x ?? 0) + e * eps.x, out: e * eps.out, p: c.p ?? 0, z: c.z ?? 0};
}

/** kron(coefficients, I_d) as a [inputs·d, d] matrix: input j's column a feeds output column a. */
function matrix(k: Record<Input, number>, inputs: Input[], d: number): tf.Tensor2D {
  const m = new Float32Array(inputs.length * d * d);
  inputs.forEach((name, j) => { for (let a = 0; a < d; a++) m[(j * d + a) * d + a] = k[name]; });
  return tf.tensor2d(m, [inputs.length * d, d]);
}

function prepare(net: SharedTimeNetwork, schedule: Schedule, prog: SamplerProgram, record: boolean): Prepared[] {
  const {d, prediction} = net.model.config;
  return prog.stages.map((stage) => {
    const ab = alphaBarAt(schedule, stage.t);
    const {eps} = readings(prediction, Math.sqrt(ab), Math.sqrt(1 - ab));
    const combos = [stage.x, stage.p, record ? stage.x0 : undefined].filter((c): c is Combo => !!c).map((c) => expand(c, eps));
    // Only the inputs some output reads: a DDIM step concatenates x and the output, DDPM adds z.
    const inputs = (["x", "out", "p", "z"] as Input[]).filter((name) => combos.some((k) => k[name] !== 0));
    if (inputs.length === 0) inputs.push("x");
    return {
      t: stage.t, inputs,
      mx: matrix(expand(stage.x, eps), inputs, d),
      mp: stage.p ? matrix(expand(stage.p, eps), inputs, d) : null,
      m0: record && stage.x0 ? matrix(expand(stage.x0, eps), inputs, d) : null,
    };
  });
}

/**
 * Runs `prog` with `net`, keeping x (and the register p) as tensors. x_T comes from `xT` (drawn from
 * `options.rng` when `{n}`), each noisy stage's z from the same rng in stage order and uploaded, so
 * with a networkDenoiser of the same weights `runProgram` (and the sampler the program came from)
 * gives the same states up to float32 rounding. Each stage is the network's kernels, one concat of
 * [x | out | p | z] and one small matmul per output (x', and p' or x̂0 when the stage sets them).
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
  const prepared = prepare(net, schedule, prog, record);
  let x = tf.tensor2d(Float32Array.from(start), [n, d]);
  let p: tf.Tensor2D | null = null;
  /** States computed but not read back yet: x (kept alive: the last one is the running state) and x̂0. */
  let pending: {state: Omit<SamplerState, "x" | "x0">; x: tf.Tensor2D; x0: tf.Tensor2D | null}[] = [];
  let x0: tf.Tensor2D | null = null;
  try {
    if (record) yield [{i: 0, steps: prog.steps, ...prog.start, x: start, x0: null, nfe: 0}];
    let i = 0;
    for (let s = 0; s < prepared.length; s++) {
      const stage = prog.stages[s], {t, inputs, mx, mp, m0} = prepared[s];
      const z = noise && (stage.x.z ?? 0) !== 0 ? fillNormal(new Float64Array(n * d), noise) : null;
      const [next, nextP, nextX0] = tf.tidy(() => {
        const out = net.forward(x, t);
        const columns = inputs.map((name) => name === "x" ? x : name === "out" ? out : name === "p" ? p! : tf.tensor2d(Float32Array.from(z!), [n, d]));
        const all = columns.length === 1 ? columns[0] : tf.concat(columns, 1);
        return [tf.matMul(all, mx), mp ? tf.matMul(all, mp) : null, m0 ? tf.matMul(all, m0) : null];
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
    tf.dispose([x, ...(p ? [p] : []), ...(x0 ? [x0] : []), ...prepared.flatMap((q) => [q.mx, q.mp, q.m0].filter((m): m is tf.Tensor2D => !!m))]);
  }
}

/** Every pending state's x and x̂0 in one readback; frees them all but `live` (the running state). */
async function readBack(batch: {state: Omit<SamplerState, "x" | "x0">; x: tf.Tensor2D; x0: tf.Tensor2D | null}[], live: tf.Tensor2D, size: number): Promise<SamplerState[]> {
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

/** Runs `prog` on the device to the end and reads back only the samples: {x, nfe}. */
export async function sampleOnDeviceProgram(net: SharedTimeNetwork, schedule: Schedule, prog: SamplerProgram, xT: Start, rng?: Rng): Promise<SampleResult> {
  let last: SamplerState | undefined;
  for await (const states of runOnDevice(net, schedule, prog, xT, {rng})) last = states.at(-1);
  return {x: last!.x, nfe: last!.nfe};
}
