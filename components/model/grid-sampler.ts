// A grid sampler (DDPM, DDIM) run beside a trained network on its tfjs backend: the state x_t stays
// a tensor from step to step and is read back once at the end, instead of a round trip to JS per
// step. On a GPU each readback is a pipeline stall; on wasm it saves the copies and the JS loops.
import * as tf from "../vendor/tfjs.js";
import type {Prediction} from "./denoiser-config.js";
import type {SharedTimeNetwork} from "./shared-time.js";
import {alphaBarAt, type Schedule} from "../math/schedules.js";
import {fillNormal} from "../math/random.js";
import {gridPlan, type GridOptions, type GridRule} from "../samplers/grid.js";
import {needRng, sigmaOf, startPoints, type SampleResult, type Start, type Trajectory} from "../samplers/common.js";

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

/**
 * Runs a grid sampler's `rule` (SamplerEntry.rule: DDPM or DDIM) with `net`, keeping x_t a tensor.
 * It visits the same timesteps (gridPlan) and draws x_T and every step's noise from `options.rng`
 * in the same order as gridSteps, so with a networkDenoiser of the same weights the same seed gives
 * the same samples up to float32 rounding. Each step is two fused kernels after the network:
 *   x_s = a·x̂0 + b·ε̂ + σ·z = (a·x̂0.x + b·ε̂.x)·x_t + (a·x̂0.out + b·ε̂.out)·out + σ·z,
 * the coefficients computed in JS (Float64). The noise z is drawn in JS and uploaded (no readback).
 * Reads back once at the end; with `options.trajectory`, also x_t and x̂0 after every step.
 * Leaves tf.memory().numTensors as it found it.
 */
export async function sampleOnDevice(net: SharedTimeNetwork, schedule: Schedule, rule: GridRule, xT: Start, options: GridOptions): Promise<SampleResult> {
  const {d, T, prediction} = net.model.config;
  if (schedule.T !== T) throw new Error(`sampleOnDevice: the network was built for T = ${T}, the schedule has T = ${schedule.T}`);
  const plan = gridPlan(schedule, options, rule);
  const rng = plan.noisy ? needRng(options.rng, "a stochastic sampler") : undefined;
  const start = startPoints(xT, d, options.rng);
  const n = start.length / d;
  const path: Trajectory | undefined = options.trajectory ? {t: [plan.ts[0]], sigma: [sigmaOf(plan.alphaBars[0])], x: [start], x0: []} : undefined;
  let x = tf.tensor2d(Float32Array.from(start), [n, d]);
  try {
    for (let i = 0; i < plan.ts.length; ++i) {
      const t = plan.ts[i], c = plan.steps[i];
      const ab = alphaBarAt(schedule, t);
      const r = readings(prediction, Math.sqrt(ab), Math.sqrt(1 - ab));
      const z = rng && c.z > 0 ? fillNormal(new Float64Array(n * d), rng) : null;
      const [next, x0] = tf.tidy((): tf.Tensor2D[] => {
        const out = net.forward(x, t);
        let y = tf.add(tf.mul(x, c.x0 * r.x0.x + c.eps * r.eps.x), tf.mul(out, c.x0 * r.x0.out + c.eps * r.eps.out)) as tf.Tensor2D;
        if (z) y = tf.add(y, tf.mul(tf.tensor2d(Float32Array.from(z), [n, d]), c.z));
        return path ? [y, tf.add(tf.mul(x, r.x0.x), tf.mul(out, r.x0.out))] : [y];
      });
      x.dispose();
      x = next;
      if (path && x0) {
        const last = i + 1 === plan.ts.length;
        path.x0.push(Float64Array.from(await readAndDispose(x0)));
        path.x.push(Float64Array.from(await x.data()));
        path.t.push(last ? -1 : plan.ts[i + 1]);
        path.sigma.push(last ? 0 : sigmaOf(plan.alphaBars[i + 1]));
      }
    }
    const result = Float64Array.from(await x.data());
    return path ? {x: result, nfe: plan.ts.length, trajectory: path} : {x: result, nfe: plan.ts.length};
  } finally {
    x.dispose();
  }
}

async function readAndDispose(t: tf.Tensor): Promise<Float32Array> {
  try {
    return (await t.data()) as Float32Array;
  } finally {
    t.dispose();
  }
}
