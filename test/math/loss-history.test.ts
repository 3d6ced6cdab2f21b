import {describe, it} from "node:test";
import assert from "node:assert/strict";
import {LossHistory} from "../../components/math/loss-history.js";

describe("LossHistory", () => {
  it("keeps at most `max` points and preserves the mean of what it kept", () => {
    const h = new LossHistory(100);
    const all = Array.from({length: 10_000}, (_, i) => 1 / (1 + i / 100));
    for (let i = 0; i < all.length; i += 37) h.push(i, all.slice(i, i + 37));
    assert.ok(h.losses.length <= 100 && h.losses.length >= 50, `${h.losses.length} points`);
    // Each kept point is the mean of a block of equal size, so their mean equals the mean of the covered steps.
    const covered = h.losses.length * (10_000 / h.losses.length | 0);
    assert.ok(covered > 0);
    const keptMean = h.losses.reduce((a, b) => a + b, 0) / h.losses.length;
    const blocks = Math.round(h.steps[1] - h.steps[0]);
    const trueMean = all.slice(0, h.losses.length * blocks).reduce((a, b) => a + b, 0) / (h.losses.length * blocks);
    assert.ok(Math.abs(keptMean - trueMean) < 1e-9, `${keptMean} vs ${trueMean}`);
    assert.deepEqual(h.steps, [...h.steps].sort((a, b) => a - b));
  });

  it("records the step of each point", () => {
    const h = new LossHistory(1000);
    h.push(5, [1, 2, 3]);
    assert.deepEqual(h.steps, [5, 6, 7]);
    assert.deepEqual(h.losses, [1, 2, 3]);
  });
});
