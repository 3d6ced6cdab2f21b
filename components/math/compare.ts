// Learned against exact: how far a network's prediction is from the ground truth (no DOM).

/** ‖a − b‖ / ‖b‖ over all entries: 0 when the learned field is exact. */
export function relativeError(a: Float64Array, b: Float64Array): number {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; ++i) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / (den || 1));
}

/** Per-point disagreement |a_i − b_i| for vectors of dimension d: [n]. */
export function pointwiseError(a: Float64Array, b: Float64Array, d = 2): Float64Array {
  const out = new Float64Array(a.length / d);
  for (let i = 0; i < out.length; ++i) {
    let s = 0;
    for (let j = 0; j < d; ++j) s += (a[i * d + j] - b[i * d + j]) ** 2;
    out[i] = Math.sqrt(s);
  }
  return out;
}
