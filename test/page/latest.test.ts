import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {latestOnly} from "../../components/page/latest.js";

describe("latestOnly", () => {
  it("runs one call at a time and, of the calls made meanwhile, only the newest", async () => {
    const ran: number[] = [];
    let active = 0, most = 0;
    const run = latestOnly(async (k: number) => {
      active++;
      most = Math.max(most, active);
      ran.push(k);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      return 10 * k;
    });
    const answers = await Promise.all([1, 2, 3, 4].map((k) => run(k)));
    assert.deepEqual(ran, [1, 4]);
    assert.deepEqual(answers, [10, null, null, 40]);
    assert.equal(most, 1);
  });

  it("passes a failure to its own caller and carries on with the next call", async () => {
    const run = latestOnly(async (k: number) => {
      if (k === 1) throw new Error("no");
      return k;
    });
    const first = run(1), second = run(2);
    await assert.rejects(first, /no/);
    assert.equal(await second, 2);
  });
});
