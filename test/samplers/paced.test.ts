// Loops that give the page its frames back.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {drain, pacer} from "../../components/samplers/paced.js";

async function* busy(n: number, ms: number) {
  for (let i = 0; i < n; ++i) {
    const end = performance.now() + ms;
    while (performance.now() < end); // work that never awaits anything but microtasks
    yield i;
  }
}

describe("paced", () => {
  it("drain lets a timer scheduled before it fire while it runs (it yields to the event loop)", async () => {
    let firedAt = -1, seen = 0;
    setTimeout(() => (firedAt = seen), 0);
    const complete = await drain(busy(20, 3), () => seen++, {sliceMs: 10});
    assert.equal(complete, true);
    assert.equal(seen, 20);
    assert.ok(firedAt >= 0 && firedAt < 20, `timer fired after ${firedAt} values`);
  });

  it("drain stops on abort, closes the generator and reports false", async () => {
    const controller = new AbortController();
    const values = busy(100, 0);
    const seen: number[] = [];
    const complete = await drain(values, (v) => { seen.push(v); if (v === 4) controller.abort(); }, {signal: controller.signal});
    assert.equal(complete, false);
    assert.deepEqual(seen, [0, 1, 2, 3, 4]);
    assert.equal((await values.next()).done, true);
  });

  it("pacer yields only once a slice has passed", async () => {
    const pace = pacer(1000);
    let fired = false;
    setTimeout(() => (fired = true), 0);
    await pace(); // well within the slice: no yield, so the timer has not run
    assert.equal(fired, false);
  });
});
