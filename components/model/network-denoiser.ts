// A trained network seen through the `Denoiser` interface that every sampler calls.
import * as tf from "../vendor/tfjs.js";
import {epsFromOutput, x0FromOutput, type MLPDenoiser} from "./denoiser.js";
import {SharedTimeNetwork} from "./shared-time.js";
import {alphaBarAt, type Schedule} from "../math/schedules.js";
import type {Denoiser} from "../math/types.js";

/** A Denoiser that can also report the network's x̂0 directly (useful for x0- and v-prediction). */
export interface NetworkDenoiser extends Denoiser {
  /** x̂0 for n points xt ([n, d]) at fractional timestep t. */
  x0(xt: Float64Array, t: number): Promise<Float64Array>;
}

/**
 * Which weights a denoiser reads: a list in paramSpecs order that outlives the denoiser (a model's
 * own variables), or a function that makes fresh tensors for one evaluation, disposed after it
 * (e.g. a flat EMA cut into layers).
 */
export type WeightSource = readonly tf.Tensor[] | (() => tf.Tensor[]);

/** How an evaluation runs the network on n points that share one t. */
type Path = "shared-time" | "reference";

function denoiserOf(model: MLPDenoiser, schedule: Schedule, weights: WeightSource, path: Path): NetworkDenoiser {
  const {d, T, prediction} = model.config;
  if (schedule.T !== T) throw new Error(`networkDenoiser: model was built for T = ${T}, schedule has T = ${schedule.T}`);
  const run = async (xt: Float64Array, t: number, want: "eps" | "x0"): Promise<Float64Array> => {
    if (xt.length % d) throw new RangeError(`networkDenoiser: xt length ${xt.length} is not a multiple of d = ${d}`);
    const n = xt.length / d;
    const ab = alphaBarAt(schedule, t);
    const sa = Math.sqrt(ab), so = Math.sqrt(1 - ab);
    const result = tf.tidy(() => {
      const params = typeof weights === "function" ? weights() : weights;
      const x = tf.tensor2d(Float32Array.from(xt), [n, d]);
      let out: tf.Tensor2D;
      if (path === "reference") out = model.forward(x, model.embedding.atFractional(t, n), params);
      // Made inside the tidy, so the weights it slices are freed with the rest.
      else out = new SharedTimeNetwork(model, params).forward(x, t);
      return want === "eps" ? epsFromOutput(out, x, sa, so, prediction) : x0FromOutput(out, x, sa, so, prediction);
    });
    const values = await result.data();
    result.dispose();
    return Float64Array.from(values);
  };
  return {
    d,
    eps: (xt, t) => run(xt, t, "eps"),
    x0: (xt, t) => run(xt, t, "x0"),
  };
}

/**
 * ε̂(x_t, t) from `model` with `weights` (default its own). Every point of a call shares t, so the
 * evaluation folds e(t) into the biases (SharedTimeNetwork). Fractional t reads the embedding by
 * interpolating two table rows and ᾱ by `alphaBarAt`; the output is converted to ε from the model's
 * prediction type. One `await data()` per call. The schedule must be the one the model was trained
 * on (same T).
 */
export function networkDenoiser(model: MLPDenoiser, schedule: Schedule, weights: WeightSource = model.params): NetworkDenoiser {
  return denoiserOf(model, schedule, weights, "shared-time");
}

/**
 * The same denoiser computed as the network was trained: e(t) tiled to every point and each layer
 * one op at a time (MLPDenoiser.forward). Slower; the yardstick the fast paths are tested and
 * benchmarked against.
 */
export function referenceDenoiser(model: MLPDenoiser, schedule: Schedule, weights: WeightSource = model.params): NetworkDenoiser {
  return denoiserOf(model, schedule, weights, "reference");
}
