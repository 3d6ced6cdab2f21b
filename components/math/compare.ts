// Learned against exact: how far a network's prediction is from the ground truth (no DOM).

/**
 * ‖a − b‖ / ‖b‖ over all entries (Euclidean norms of the flattened arrays): 0 when the learned field
 * a is exact, 1 when it is zero or as far off as the truth b is large. When b is zero everywhere it
 * returns ‖a‖ (the absolute error), so a zero truth does not divide by zero. a, b: the same length.
 */
export function relativeError(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) throw new RangeError(`relativeError: lengths differ (${a.length} and ${b.length})`);
  let num = 0, den = 0;
  for (let i = 0; i < a.length; ++i) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / (den || 1));
}
