// Array comparisons shared by the unit tests.
import assert from "node:assert/strict";

/** max_i |a_i − b_i|, after asserting the two have the same length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; ++i) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
