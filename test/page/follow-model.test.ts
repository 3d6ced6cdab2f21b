// followModel: draws when the model has moved on and the last draw is done, never two at once, and stops.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import {followModel} from "../../components/page/follow-model.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("page/follow-model", () => {
  it("draws each new step once, skips steps passed during a slow draw, and stops on invalidation", async () => {
    const session = {latest: null as {step: number} | null};
    const drawn: number[] = [];
    let busy = 0, overlap = false, stop = () => {};
    const invalidation = new Promise<void>((resolve) => (stop = resolve));
    const done = followModel(session, async (step) => {
      overlap ||= busy > 0;
      busy++;
      drawn.push(step);
      await sleep(step === 10 ? 60 : 1); // the draw of step 10 is slow
      busy--;
    }, {invalidation, intervalMs: 5});
    await sleep(20);
    session.latest = {step: 10};
    await sleep(20);
    // Steps 11…14 arrive while step 10 is still being drawn: only the newest is drawn next.
    for (const step of [11, 12, 13, 14]) { session.latest = {step}; await sleep(5); }
    await sleep(80);
    stop();
    await done;
    session.latest = {step: 99};
    await sleep(30);
    assert.deepEqual(drawn, [0, 10, 14]);
    assert.equal(overlap, false);
  });

  it("a draw that rejects is skipped, and the next new step is drawn", async () => {
    const session = {latest: {step: 1}};
    const drawn: number[] = [];
    let stop = () => {};
    const invalidation = new Promise<void>((resolve) => (stop = resolve));
    const done = followModel(session, (step) => {
      drawn.push(step);
      if (step === 1) throw new Error("worker busy");
    }, {invalidation, intervalMs: 5});
    await sleep(20);
    session.latest = {step: 2};
    await sleep(20);
    stop();
    await done;
    assert.deepEqual(drawn, [1, 2]);
  });
});
