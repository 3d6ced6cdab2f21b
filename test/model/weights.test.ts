import assert from "node:assert/strict";
import {after, before, describe, it} from "node:test";
import * as tf from "../../components/vendor/tfjs.js";
import {sampleDataset} from "../../components/math/datasets.js";
import {rngFromSeed} from "../../components/math/random.js";
import {makeSchedule} from "../../components/math/schedules.js";
import {Trainer} from "../../components/model/trainer.js";
import {
  encodeWeightsFile, fileNetwork, fromBase64, loadWeightsFromStorage, parseWeightsFile, saveWeightsToStorage, toBase64,
} from "../../components/model/weights.js";
import {DEFAULT_CONFIG} from "../../components/model/defaults.js";

const schedule = makeSchedule("cosine", 40);
const data = sampleDataset("moons", 1000, rngFromSeed(1));
const config = {model: {width: 16, depth: 2, embedDim: 8, prediction: "eps" as const, fourierFeatures: 0}, batchSize: 64};
const x = Float64Array.from({length: 30}, (_, i) => Math.cos(1.7 * i));

let trainer: Trainer;
let text: string;

before(async () => {
  await tf.setBackend("cpu");
  trainer = new Trainer({data, schedule, config, seed: 1});
  await trainer.runChunk(20);
  text = encodeWeightsFile(trainer.weightsFile());
});

after(() => trainer.dispose());

/** Predictions of a trainer's raw and EMA networks at two timesteps. */
async function predictions(t: Trainer): Promise<Float64Array[]> {
  return [await t.denoiser("raw").eps(x, 5), await t.denoiser("ema").eps(x, 30.5)];
}

describe("weights files", () => {
  it("save → load into a fresh trainer gives identical raw and EMA predictions and the step count", async () => {
    const other = new Trainer({data, schedule, config, seed: 2});
    assert.notDeepEqual(await predictions(other), await predictions(trainer));
    const file = parseWeightsFile(text);
    other.loadWeights(file);
    assert.deepEqual(await predictions(other), await predictions(trainer));
    assert.equal(other.stepCount, 20);
    assert.equal(file.schedule.name, "cosine");
    assert.equal(file.config.width, 16);
    other.dispose();
  });

  it("base64 float32 round trip is exact, including ±0, subnormals and extremes", () => {
    const values = Float32Array.from([0, -0, 1.5, -3.25e-41, 3.4028234663852886e38, 1e-7, Math.PI]);
    assert.deepEqual(fromBase64(toBase64(values), "test"), values);
  });

  const bad: [string, () => string, RegExp][] = [
    ["malformed JSON", () => text.slice(0, -10), /This file is not a Diffusion Lab weights file: it is not valid JSON/],
    ["some other JSON", () => JSON.stringify({hello: 1}), /not a Diffusion Lab weights file: it has no "format": "diffusion-lab-weights" marker/],
    ["a newer version", () => edit((o) => { o.version = 2; }), /written by a newer Diffusion Lab; this page reads version 1/],
    ["a wrong shape", () => edit((o) => { o.weights[2].shape = [17, 16]; }), /weights tensor dense1\/kernel has shape \[17,16\]; its config needs \[16,16\]/],
    ["a truncated tensor", () => edit((o) => { o.weights[0].data = toBase64(new Float32Array(5)); }), /dense0\/kernel holds 5 values; shape \[10,16\] needs 160/],
    ["a NaN weight", () => edit((o) => { const w = fromBase64(o.weights[1].data, ""); w[3] = NaN; o.weights[1].data = toBase64(w); }), /dense0\/bias contains a non-finite value \(NaN\) at index 3/],
    ["an infinite EMA weight", () => edit((o) => { const w = fromBase64(o.ema[4].data, ""); w[0] = Infinity; o.ema[4].data = toBase64(w); }), /in "ema", dense2\/kernel contains a non-finite value/],
    ["broken base64", () => edit((o) => { o.weights[0].data = "@@@"; }), /weights tensor dense0\/kernel is not valid base64/],
    ["an invalid config", () => edit((o) => { o.config.activation = "swish"; }), /its model config is invalid \(unknown activation swish\)/],
    ["schedule T that disagrees with the config", () => edit((o) => { o.schedule.T = 41; }), /its schedule has T = 41 but its model was built for T = 40/],
    ["a schedule this site does not know", () => edit((o) => { o.schedule.name = "quadratic"; }), /its schedule is not one this site can build \(unknown schedule "quadratic"; the known ones are linear, scaled-linear, cosine, sigmoid\)/],
    ["a data set this site does not know", () => edit((o) => { o.dataset = "mnist"; }), /its data set "mnist" is not one this site knows \(moons, .*letters or "drawn"\)/],
  ];
  for (const [what, make, message] of bad) {
    it(`refuses ${what} with a clear message, and the current model keeps predicting the same`, async () => {
      const before = await predictions(trainer);
      assert.throws(() => trainer.loadWeights(parseWeightsFile(make())), message);
      assert.deepEqual(await predictions(trainer), before);
    });
  }

  it("refuses a valid file for a different model or schedule, naming what differs, and changes nothing", async () => {
    const before = await predictions(trainer);
    const wide = new Trainer({data, schedule, config: {...config, model: {...config.model, width: 24, prediction: "x0"}}, seed: 3});
    const file = parseWeightsFile(encodeWeightsFile(wide.weightsFile()));
    wide.dispose();
    assert.throws(() => trainer.loadWeights(file), /These weights do not fit the current model: width is 24 in the file and 16 here; prediction is "x0" in the file and "eps" here/);
    const linear = parseWeightsFile(edit((o) => { o.schedule.name = "linear"; }));
    assert.throws(() => trainer.loadWeights(linear), /the schedule is "linear" in the file and "cosine" here/);
    assert.deepEqual(await predictions(trainer), before);
  });
});

describe("what a weights file records beyond the weights", () => {
  it("the data set it was trained on survives a save and load", () => {
    const file = parseWeightsFile(encodeWeightsFile({...trainer.weightsFile(), dataset: "moons"}));
    assert.equal(file.dataset, "moons");
    assert.equal(parseWeightsFile(encodeWeightsFile({...trainer.weightsFile(), dataset: "drawn"})).dataset, "drawn");
  });

  it("a version 1 file written before data sets were recorded still loads, with no data set", () => {
    const old = edit((o) => { delete o.dataset; });
    assert.equal(JSON.parse(old).version, 1);
    assert.equal("dataset" in JSON.parse(old), false);
    const file = parseWeightsFile(old);
    assert.equal(file.dataset, undefined);
    assert.equal(file.step, 20);
  });

  it("fileNetwork gives the file's d, schedule and every architecture field over DEFAULT_CONFIG's optimiser settings", () => {
    const {d, schedule: spec, config: c} = fileNetwork(parseWeightsFile(text));
    assert.equal(d, 2);
    assert.deepEqual(spec, {name: "cosine", T: 40});
    assert.deepEqual(c.model, {width: 16, depth: 2, embedDim: 8, prediction: "eps", fourierFeatures: 0, activation: DEFAULT_CONFIG.model.activation,
      timeInput: DEFAULT_CONFIG.model.timeInput, fourierScale: DEFAULT_CONFIG.model.fourierScale});
    assert.equal(c.lr, DEFAULT_CONFIG.lr);
    assert.equal(c.batchSize, DEFAULT_CONFIG.batchSize); // the file's trainer used 64: optimiser settings are not recorded
  });

  it("Trainer.fromFile rebuilds the saved network: identical raw and EMA predictions and step count", async () => {
    const rebuilt = Trainer.fromFile(parseWeightsFile(text), data);
    try {
      assert.deepEqual(await predictions(rebuilt), await predictions(trainer));
      assert.equal(rebuilt.stepCount, 20);
      assert.equal(rebuilt.schedule.name, "cosine");
      assert.deepEqual(rebuilt.schedule.alphaBar, schedule.alphaBar);
    } finally {
      rebuilt.dispose();
    }
  });
});

describe("weights in browser storage", () => {
  it("without localStorage (Node): load gives null, save throws a readable error", () => {
    assert.equal(loadWeightsFromStorage("k"), null);
    assert.throws(() => saveWeightsToStorage("k", text), /does not offer local storage.*download the file instead/);
  });

  it("with a localStorage: save and load by key; a full storage gives a readable error", () => {
    const items = new Map<string, string>();
    let quota = Infinity;
    const fake = {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => { if (v.length > quota) throw new Error("QuotaExceededError"); items.set(k, v); },
    };
    (globalThis as {localStorage?: unknown}).localStorage = fake;
    try {
      saveWeightsToStorage("moons", text);
      assert.equal(loadWeightsFromStorage("moons"), text);
      assert.equal(loadWeightsFromStorage("other"), null);
      quota = 100;
      assert.throws(() => saveWeightsToStorage("moons", text), /The browser refused to store \d+ KB of weights \(QuotaExceededError\)/);
    } finally {
      delete (globalThis as {localStorage?: unknown}).localStorage;
    }
  });
});

/** The saved file's JSON after `change`, for making broken files. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function edit(change: (o: any) => void): string {
  const o = JSON.parse(text);
  change(o);
  return JSON.stringify(o);
}
