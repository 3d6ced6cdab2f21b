// coalesce: a fast stream reaches the page's cells as its newest value, at most once per frame and
// per `everyMs`, and its last value is never lost.
import assert from "node:assert/strict";
import {afterEach, beforeEach, describe, it, mock} from "node:test";
import {coalesce} from "../../components/page/coalesce.js";

describe("coalesce", () => {
  beforeEach(() => mock.timers.enable({apis: ["setTimeout", "Date"], now: 0}));
  afterEach(() => mock.timers.reset());
  const frame = (callback: () => void) => setTimeout(callback, 16);
  // One millisecond at a time, so timers set by timers that fire are run too.
  const advance = (ms: number) => { for (let k = 0; k < ms; ++k) mock.timers.tick(1); };

  it("passes 100 values pushed 10 ms apart as at most one per 200 ms, the newest each time, ending with the last", () => {
    const seen: number[] = [], at: number[] = [];
    const c = coalesce((v: number) => { seen.push(v); at.push(Date.now()); }, {everyMs: 200, frame, now: Date.now});
    for (let i = 0; i < 100; ++i) {
      c.push(i);
      advance(10);
    }
    advance(1000);
    // 1 s of pushes at one notification per 200 ms (plus a frame): 5 or 6 notifications, not 100.
    assert.ok(seen.length >= 5 && seen.length <= 6, `${seen.length} notifications: ${seen}`);
    assert.equal(seen.at(-1), 99);
    for (let k = 1; k < at.length; ++k) assert.ok(at[k] - at[k - 1] >= 200, `notifications at ${at}`);
    // Each notification carries the newest value pushed before it: values only grow.
    assert.deepEqual([...seen].sort((a, b) => a - b), seen);
  });

  it("delivers a lone value at the next frame, and nothing after cancel", () => {
    const seen: string[] = [];
    const c = coalesce((v: string) => seen.push(v), {everyMs: 500, frame, now: Date.now});
    c.push("first");
    advance(20); // one frame (16 ms) and a timer's turn
    assert.deepEqual(seen, ["first"]);
    c.push("second");
    c.cancel();
    advance(2000);
    assert.deepEqual(seen, ["first"]);
  });
});
