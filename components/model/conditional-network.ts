// A trained class-conditional network ε_θ(x_t, t, c) seen through the interfaces samplers and
// guidance use: the ConditionalDenoiser (one class per call) and classifier-free guidance evaluated
// as one batch of 2n rows, the conditional and the unconditional halves side by side.
import * as tf from "../vendor/tfjs.js";
import {epsFromOutput, type MLPDenoiser} from "./denoiser.js";
import {SharedTimeNetwork} from "./shared-time.js";
import type {WeightSource} from "./network-denoiser.js";
import {alphaBarAt, type Schedule} from "../math/schedules.js";
import type {ConditionalDenoiser, Denoiser} from "../math/types.js";

/** One-hot rows, [labels.length, C] row-major: class c → a 1 in column c; null or −1 → zeros (the null class). */
export function oneHotRows(labels: ArrayLike<number | null>, C: number): Float32Array {
  const rows = new Float32Array(labels.length * C);
  for (let i = 0; i < labels.length; ++i) {
    const c = labels[i];
    if (c !== null && c >= 0) rows[i * C + c] = 1;
  }
  return rows;
}

function checkModel(model: MLPDenoiser, schedule: Schedule, what: string): number {
  const C = model.config.classes;
  if (!C) throw new Error(`${what}: the network has no class input (classes = 0)`);
  if (schedule.T !== model.config.T) throw new Error(`${what}: model was built for T = ${model.config.T}, schedule has T = ${schedule.T}`);
  return C;
}

function checkClass(c: number | null, C: number, what: string): void {
  if (c !== null && !(Number.isInteger(c) && c >= 0 && c < C)) throw new RangeError(`${what} must be null or an integer in 0…${C - 1}, got ${c}`);
}

/**
 * ε̂ of `rows` groups of n points, all at fractional timestep t, group g with class labels[g]:
 * xt [n, d] is repeated for each group, so the network runs once on [groups·n, d]. Returns the
 * groups' ε̂ stacked, [groups·n, d], as a tensor. Call inside tf.tidy.
 */
function epsGroups(model: MLPDenoiser, schedule: Schedule, params: readonly tf.Tensor[], xt: Float64Array, t: number, labels: (number | null)[]): tf.Tensor2D {
  const {d, classes: C, prediction} = model.config, n = xt.length / d, G = labels.length;
  const ab = alphaBarAt(schedule, t), sa = Math.sqrt(ab), so = Math.sqrt(1 - ab);
  const one = tf.tensor2d(Float32Array.from(xt), [n, d]);
  const x = G === 1 ? one : (tf.concat(labels.map(() => one)) as tf.Tensor2D);
  const perRow = labels.flatMap((c) => new Array<number | null>(n).fill(c));
  const onehot = tf.tensor2d(oneHotRows(perRow, C), [G * n, C]);
  const out = new SharedTimeNetwork(model, params).forward(x, t, onehot);
  return epsFromOutput(out, x, sa, so, prediction) as tf.Tensor2D;
}

async function read(result: tf.Tensor): Promise<Float64Array> {
  const values = await result.data();
  result.dispose();
  return Float64Array.from(values);
}

/**
 * The conditional network as a ConditionalDenoiser: ε̂(x_t, t, c) for n points xt [n, d] at fractional
 * timestep t, c a class or null (the null class it was trained with by label dropout). One network
 * evaluation and one `await data()` per call. `weights` as networkDenoiser's.
 */
export function conditionalNetworkDenoiser(model: MLPDenoiser, schedule: Schedule, weights: WeightSource = model.params): ConditionalDenoiser {
  const C = checkModel(model, schedule, "conditionalNetworkDenoiser"), d = model.config.d;
  return {
    d,
    classes: C,
    eps(xt, t, c) {
      checkClass(c, C, "class");
      if (xt.length % d) return Promise.reject(new RangeError(`conditionalNetworkDenoiser: xt length ${xt.length} is not a multiple of d = ${d}`));
      return read(tf.tidy(() => epsGroups(model, schedule, typeof weights === "function" ? weights() : weights, xt, t, [c])));
    },
  };
}

/** What {@link guidedNetworkDenoiser} steers towards and away from (as samplers/guidance.ts's CfgOptions). */
export interface NetworkCfgOptions {
  /** The class asked for; null for none. */
  c: number | null;
  /** Guidance weight w ≥ −1 (Ho & Salimans' convention: w = 0 is the plain conditional model). */
  w: number;
  /** The class the extrapolation starts from: null (default) is the unconditional model. */
  negative?: number | null;
}

/**
 * Classifier-free guidance with the network (Ho & Salimans 2022, eq. 6):
 *   ε̃(x_t, t) = (1 + w)·ε_θ(x_t, t, c) − w·ε_θ(x_t, t, negative),
 * both predictions from ONE network evaluation on 2n rows ([x_t; x_t] with the class rows [c; negative]),
 * combined on the device, one `await data()` per call. Two model evaluations per point, as any CFG
 * sampler spends, but a single batched matmul per layer. The same numbers as samplers/guidance.ts's
 * classifierFree on conditionalNetworkDenoiser, up to float32 rounding.
 */
export function guidedNetworkDenoiser(model: MLPDenoiser, schedule: Schedule, {c, w, negative = null}: NetworkCfgOptions, weights: WeightSource = model.params): Denoiser {
  const C = checkModel(model, schedule, "guidedNetworkDenoiser"), d = model.config.d;
  checkClass(c, C, "class");
  checkClass(negative, C, "negative class");
  if (!(Number.isFinite(w) && w >= -1)) throw new RangeError(`guidance weight w must be a finite number ≥ −1, got ${w}`);
  return {
    d,
    eps(xt, t) {
      if (xt.length % d) return Promise.reject(new RangeError(`guidedNetworkDenoiser: xt length ${xt.length} is not a multiple of d = ${d}`));
      const n = xt.length / d;
      return read(tf.tidy(() => {
        const both = epsGroups(model, schedule, typeof weights === "function" ? weights() : weights, xt, t, [c, negative]);
        const toward = tf.slice(both, [0, 0], [n, d]), from = tf.slice(both, [n, 0], [n, d]);
        return tf.sub(tf.mul(toward, 1 + w), tf.mul(from, w));
      }));
    },
  };
}
