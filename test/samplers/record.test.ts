// recordRun: every state of a run, in order, reported as it grows; errors end it; stop stops it.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {recordRun, type Recording} from "../../components/samplers/record.js";
import {samplerByName} from "../../components/samplers/index.js";
import {makeSchedule} from "../../components/math/schedules.js";
import {exactDenoiser, mixtureByName} from "../../components/math/mixture.js";
import {runOptions, startNoise} from "../../components/samplers/sampling-plan.js";

const schedule = makeSchedule("cosine", 100);
const den = exactDenoiser(mixtureByName("ring"), schedule);
const run = (steps: number) => () => samplerByName("ddim").steps(den, schedule, startNoise(50, 3), runOptions({steps, eta: 0, variance: "betaTilde", seed: 3}));

/** Resolves with every report once one says done (or after `ms`). */
function reports(start: Parameters<typeof recordRun>[0], ms = 5000): Promise<{all: Recording[]}> {
  return new Promise((resolve) => {
    const all: Recording[] = [];
    recordRun(start, (r) => {
      all.push(r);
      if (r.done) resolve({all});
    });
    setTimeout(() => resolve({all}), ms);
  });
}

describe("samplers/record", () => {
  it("keeps x_T and every step's state in order and ends done, with the samples the sampler gives alone", async () => {
    const {all} = await reports(run(10));
    const last = all.at(-1)!;
    assert.deepEqual([last.done, last.error], [true, null]);
    assert.deepEqual(last.states.map((s) => s.i), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.ok(all.every((r, k) => k === 0 || r !== all[k - 1]), "each report is a new object");
    const alone = await samplerByName("ddim").run(den, schedule, startNoise(50, 3), runOptions({steps: 10, eta: 0, variance: "betaTilde", seed: 3}));
    assert.deepEqual(Array.from(last.states[10].x), Array.from(alone.x));
  });

  it("a sampler that refuses its options ends the recording at once with its error", async () => {
    const {all} = await reports(run(0));
    assert.equal(all.length, 1);
    assert.equal(all[0].done, true);
    assert.match(all[0].error!.message, /step/);
  });

  it("stopping it ends the run without a done report", async () => {
    const all: Recording[] = [];
    const stop = recordRun(run(100), (r) => all.push(r));
    stop();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(all.every((r) => !r.done));
    assert.ok(all.at(-1)!.states.length < 101, `${all.at(-1)!.states.length} states`);
  });
});
