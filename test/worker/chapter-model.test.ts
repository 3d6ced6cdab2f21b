// A chapter rebuilds the chosen weights file in a worker from trainerSetupFor: the network it gets
// must be the one that was saved, on the schedule it was trained on.
import assert from "node:assert/strict";
import {after, before, describe, it} from "node:test";
import * as tf from "../../components/vendor/tfjs.js";
import {sampleDataset} from "../../components/math/datasets.js";
import {rngFromSeed} from "../../components/math/random.js";
import {makeSchedule} from "../../components/math/schedules.js";
import {Trainer} from "../../components/model/trainer.js";
import {encodeWeightsFile, parseWeightsFile} from "../../components/model/weights.js";
import {lazySession, scheduleFor, trainerSetupFor} from "../../components/worker/chapter-model.js";
import {SHIPPED_MODEL} from "../../components/model/shipped-model.js";
import type {ModelChoice} from "../../components/model/model-source.js";
import type {TrainingSession} from "../../components/worker/training-session.js";

// A reader's model that differs from the defaults in every field the setup must carry over.
const schedule = makeSchedule("linear", 60);
const config = {model: {width: 24, depth: 2, activation: "tanh" as const, prediction: "v" as const, embedDim: 8, timeInput: "every-layer" as const, fourierFeatures: 4, fourierScale: 0.5}, batchSize: 64};
let saved: Trainer;
let choice: ModelChoice;

before(async () => {
  await tf.setBackend("cpu");
  saved = new Trainer({data: sampleDataset("moons", 500, rngFromSeed(1)), schedule, config, seed: 4});
  await saved.runChunk(5);
  const text = encodeWeightsFile(saved.weightsFile());
  choice = {text, file: parseWeightsFile(text), source: "yours", note: null};
});
after(() => saved.dispose());

describe("chapter-model", () => {
  it("trainerSetupFor rebuilds the saved network: same architecture, schedule and predictions", async () => {
    const setup = trainerSetupFor(choice);
    assert.deepEqual(setup.schedule, {name: "linear", T: 60});
    assert.equal(setup.d, 2);
    assert.equal(setup.data.length, 2 * SHIPPED_MODEL.n);
    const rebuilt = new Trainer({data: setup.data, schedule: makeSchedule("linear", 60), config: setup.config, seed: setup.seed});
    try {
      rebuilt.loadWeights(parseWeightsFile(setup.weights!));
      const x = Float64Array.from({length: 20}, (_, i) => Math.sin(i));
      for (const t of [3, 41.5]) assert.deepEqual(await rebuilt.denoiser("ema").eps(x, t), await saved.denoiser("ema").eps(x, t));
    } finally {
      rebuilt.dispose();
    }
  });

  it("trainerSetupFor gives the worker the data set the file records, else the shipped model's", () => {
    const moons = {...choice, file: {...choice.file, dataset: "moons" as const}};
    const setup = trainerSetupFor(moons);
    assert.equal(setup.dataset, "moons");
    assert.deepEqual(setup.data, sampleDataset("moons", SHIPPED_MODEL.n, rngFromSeed(SHIPPED_MODEL.dataSeed)));
    for (const file of [choice.file, {...choice.file, dataset: "drawn" as const}]) {
      const fallback = trainerSetupFor({...choice, file});
      assert.equal(fallback.dataset, SHIPPED_MODEL.dataset);
      assert.deepEqual(fallback.data, sampleDataset(SHIPPED_MODEL.dataset, SHIPPED_MODEL.n, rngFromSeed(SHIPPED_MODEL.dataSeed)));
    }
  });

  it("scheduleFor gives the weights file's schedule, not the site's default", () => {
    const s = scheduleFor(choice);
    assert.equal(s.T, 60);
    assert.deepEqual(s.alphaBar, schedule.alphaBar);
  });

  it("lazySession starts once on first get, shares it, and disposes it (even one still starting)", async () => {
    let starts = 0, disposed = 0;
    const fake = {dispose: () => disposed++} as unknown as TrainingSession;
    const lazy = lazySession(trainerSetupFor(choice), async () => { starts++; return fake; });
    assert.equal(starts, 0);
    const [a, b] = await Promise.all([lazy.get(), lazy.get()]);
    assert.equal(a, b);
    assert.equal(starts, 1);
    lazy.dispose();
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(disposed, 1);
    await assert.rejects(lazy.get(), /released/);

    let release!: (s: TrainingSession) => void;
    const slow = lazySession(trainerSetupFor(choice), () => new Promise((r) => (release = r)));
    const pending = slow.get();
    slow.dispose();
    release(fake);
    await pending;
    assert.equal(disposed, 2);
  });

  it("lazySession gives up on a start that never answers, and ends the session if it turns up later", async () => {
    let disposed = 0, release!: (s: TrainingSession) => void;
    const fake = {dispose: () => disposed++} as unknown as TrainingSession;
    const lazy = lazySession(trainerSetupFor(choice), () => new Promise((r) => (release = r)), {timeoutMs: 20});
    await assert.rejects(lazy.get(), /did not start within/);
    release(fake);
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(disposed, 1);
  });
});
