// The parameters of a network as one flat vector: the optimiser and the weight average update all
// of them in a handful of kernels instead of a handful per tensor (each kernel launch costs ~10 µs of
// tfjs bookkeeping on wasm, and a GPU dispatch on WebGL), and a snapshot reads them in one piece.
import * as tf from "../vendor/tfjs.js";

/** The tensors' values end to end, each in row-major order. → [Σ sizes] */
export function flatten(tensors: readonly tf.Tensor[]): tf.Tensor1D {
  return tf.concat(tensors.map((t) => tf.reshape(t, [-1]))) as tf.Tensor1D;
}

/** `flat` cut into tensors of `shapes`, in order (the inverse of flatten). Call inside tf.tidy. */
export function unflatten(flat: tf.Tensor1D, shapes: readonly number[][]): tf.Tensor[] {
  const parts = tf.split(flat, shapes.map(sizeOf));
  return parts.map((part, i) => tf.reshape(part, shapes[i]));
}

/** Arrays end to end, as flatten lays out tensors of their sizes. */
export function concatArrays(arrays: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
}

/** `flat` cut into copies of `shapes`' sizes, read from `offset` on. */
export function splitArray(flat: Float32Array, shapes: readonly number[][], offset = 0): Float32Array[] {
  return shapes.map((shape) => flat.slice(offset, (offset += sizeOf(shape))));
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
