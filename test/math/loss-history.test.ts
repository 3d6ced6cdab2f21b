import {describe, it} from "node:test";
import assert from "node:assert/strict";
import {LossHistory} from "../../components/math/loss-history.js";

describe("LossHistory", () => {
  it("keeps at most `max` points, each the mean of one equal block of steps, covering all but a last partial block", () => {
    const h = new LossHistory(100);
    const all = Array.from({length: 10_000}, (_, i) => 1 / (1 + i / 100));
    for (let i = 0; i < all.length; i += 37) h.push(i, all.slice(i, i + 37));
    const n = h.losses.length;
    // Halving at 100 points leaves between 50 and 99 of them.
    assert.ok(n >= 50 && n < 100, `${n} points`);
    // The block is a power of two (the stride doubles at each halving), and the points cover the steps
    // from 0 on: every step pushed, except fewer than one block still waiting to fill.
    const block = h.steps[0] + 1;
    assert.equal(Math.log2(block) % 1, 0, `block of ${block} steps`);
    assert.ok(n * block <= all.length && all.length - n * block < block, `${n} × ${block} steps of ${all.length}`);
    // Point k is the mean of steps k·block … (k+1)·block − 1, drawn at the last of them.
    assert.deepEqual(h.steps, Array.from({length: n}, (_, k) => (k + 1) * block - 1));
    for (let k = 0; k < n; ++k) {
      const mean = all.slice(k * block, (k + 1) * block).reduce((a, b) => a + b, 0) / block;
      assert.ok(Math.abs(h.losses[k] - mean) < 1e-12, `point ${k}: ${h.losses[k]} vs ${mean}`);
    }
  });

  it("records the step of each point", () => {
    const h = new LossHistory(1000);
    h.push(5, [1, 2, 3]);
    assert.deepEqual(h.steps, [5, 6, 7]);
    assert.deepEqual(h.losses, [1, 2, 3]);
  });
});
