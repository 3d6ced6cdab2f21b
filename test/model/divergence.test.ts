// The divergence test of a training run (LossWatch), on hand-made losses and states: what it
// rejects, what it lets through, and what its message tells the reader.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {LossWatch} from "../../components/model/divergence.js";

const losses = (...values: number[]) => Float32Array.from(values);
const clean: [string, Float32Array[]][] = [["the weights", [losses(0.1, -0.2)]], ["Adam's second moment", [losses(1e-4)]]];

describe("LossWatch", () => {
  it("lets finite losses through and names the step and the restore point of a NaN or ∞ loss", () => {
    const watch = new LossWatch();
    assert.equal(watch.check(losses(0.9, 0.8), 40, 1e3, clean), null);
    assert.equal(watch.check(losses(0.7, NaN), 40, 1e3, clean), "the loss became NaN at step 42; weights were restored to step 40. Try a smaller learning rate.");
    assert.match(watch.check(losses(Infinity), 40, 1e3, clean)!, /^the loss became Infinity at step 41;/);
  });

  it("before 5 good losses compares with 1 (what predicting zero scores), after with their running median", () => {
    const watch = new LossWatch();
    // A fresh run: 11 > 10 × 1.
    assert.match(watch.check(losses(11), 0, 10, clean)!, /the loss jumped to 11.0 at step 1, over 10× what predicting zero scores \(≈ 1\)/);
    watch.accept(losses(0.01, 0.02, 0.03, 0.04, 0.05));
    // Median 0.03: 0.29 passes, 0.31 does not.
    assert.equal(watch.check(losses(0.29), 5, 10, clean), null);
    assert.match(watch.check(losses(0.31), 5, 10, clean)!, /the loss jumped to 0.310 at step 6, over 10× its running median 0.0300; weights were restored to step 5/);
    // Losses earlier in the same chunk join the window: three of 0.29 lift the median to (0.05 + 0.29)/2,
    // so 0.35 then passes, where against the window alone (median 0.03) it would not.
    assert.equal(watch.check(losses(0.29, 0.29, 0.29, 0.35), 5, 10, clean), null);
    watch.clear();
    assert.equal(watch.check(losses(0.31), 0, 10, clean), null); // back to comparing with 1
  });

  it("names the first part of the state that holds a NaN or ∞", () => {
    const watch = new LossWatch();
    const state: [string, Float32Array[]][] = [["the weights", [losses(1, 2)]], ["the EMA weights", [losses(0), losses(3, -Infinity)]], ["Adam's first moment", [losses(NaN)]]];
    assert.equal(watch.check(losses(0.5, 0.4), 10, 1e3, state), "the EMA weights became NaN or ∞ by step 12; weights were restored to step 10. Try a smaller learning rate.");
  });

  it("keeps only the last 200 good losses", () => {
    // 200 losses of 100, then 150 of 0.01: the last 200 are 50 of 100 and 150 of 0.01 (median 0.01);
    // all 350 would have median 100, and a loss of 1 would pass.
    const watch = new LossWatch();
    watch.accept(Float32Array.from({length: 350}, (_, i) => (i < 200 ? 100 : 0.01)));
    assert.match(watch.check(losses(1), 350, 10, clean)!, /over 10× its running median 0.0100/);
  });
});
