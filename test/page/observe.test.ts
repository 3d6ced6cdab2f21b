// observeAll: what a cell observing long work sees, and that it stops when the cell is invalidated.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {observeAll, type Observed} from "../../components/page/observe.js";

async function* count(n: number, made: {pulled: number}) {
  for (let i = 0; i < n; ++i) {
    made.pulled++;
    yield i;
  }
}

const until = (states: Observed<number>[], done: (s: Observed<number>) => boolean) => new Promise<void>((resolve) => {
  const check = () => (states.length && done(states[states.length - 1]) ? resolve() : setTimeout(check, 5));
  check();
});

describe("observeAll", () => {
  it("notifies an empty start, every value, and the end with all values", async () => {
    const states: Observed<number>[] = [], made = {pulled: 0};
    observeAll(() => count(5, made), (s) => states.push(s));
    await until(states, (s) => s.done);
    assert.deepEqual(states[0], {values: [], count: 0, done: false, error: null});
    assert.deepEqual(states[states.length - 1], {values: [0, 1, 2, 3, 4], count: 5, done: true, error: null});
    assert.equal(states.length, 7);
  });

  it("with latestOnly keeps only the newest value, and everyMs thins the reports but never the last", async () => {
    const states: Observed<number>[] = [];
    observeAll(() => count(50, {pulled: 0}), (s) => states.push(s), {latestOnly: true, everyMs: 60_000});
    await until(states, (s) => s.done);
    assert.deepEqual(states.map((s) => s.values), [[], [0], [49]]);
  });

  it("stops pulling once the cleanup runs, and reports an error thrown by the generator", async () => {
    const made = {pulled: 0}, states: Observed<number>[] = [];
    const stop = observeAll(() => count(1e9, made), () => {}, {sliceMs: 1});
    await new Promise((r) => setTimeout(r, 30));
    stop();
    const at = made.pulled;
    await new Promise((r) => setTimeout(r, 30));
    assert.ok(made.pulled <= at + 1, `pulled ${made.pulled} after stopping at ${at}`);
    observeAll(async function* () { yield 1; throw new Error("boom"); }, (s) => states.push(s));
    await until(states, (s) => s.done);
    assert.equal(states[states.length - 1].error?.message, "boom");
  });

  it("with restMs pulls nothing until it has passed, and nothing at all when the cleanup runs before (a slider dragged past)", async () => {
    const made = {pulled: 0}, states: Observed<number>[] = [];
    const stopped = observeAll(() => count(5, made), () => {}, {restMs: 40});
    await new Promise((r) => setTimeout(r, 10));
    stopped();
    observeAll(() => count(5, made), (s) => states.push(s), {restMs: 40});
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(made.pulled, 0);
    assert.deepEqual(states.map((s) => s.count), [0]);
    await until(states, (s) => s.done);
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(made.pulled, 5, "only the run that was not stopped pulls, and it pulls everything");
  });
});
