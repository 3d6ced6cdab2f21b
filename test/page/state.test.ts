// The chapters' URL tables: their defaults are the settings the chapters were measured with, links
// between chapters round-trip, and the values map onto what the trainer and the curves take.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import {defaults, formatState, readState} from "../../components/page/url-state.js";
import {architectureKey, optimiserPatch, trainerSetup, trainingTable} from "../../components/page/state/training.js";
import {curveOptions, schedulesTable} from "../../components/page/state/schedules.js";
import {samplingTable} from "../../components/page/state/sampling.js";
import {forwardCurve} from "../../components/math/schedule-compare.js";

describe("page/state/training", () => {
  const start = defaults(trainingTable);

  it("defaults to the shipped recipe: ring, cosine T = 100, 3×64 ReLU predicting v, lr 10⁻², batch 256, no weighting, γ = 5", () => {
    assert.deepEqual(
      [start.data, start.schedule, start.T, start.width, start.depth, start.activation, start.prediction, 10 ** start.lr, start.batch, start.weighting, start.gamma],
      ["ring", "cosine", 100, "64", 3, "relu", "v", 0.01, "256", "none", 5],
    );
  });

  it("a link from another chapter carries only what differs and reads back to the same state", () => {
    assert.equal(formatState(trainingTable, {schedule: "linear", T: 250}), "?schedule=linear&T=250");
    assert.equal(formatState(trainingTable, {schedule: "cosine", T: 100}), "");
    const {values, rejected} = readState(trainingTable, "?schedule=linear&T=250&weighting=min-snr&gamma=3");
    assert.deepEqual(rejected, []);
    assert.deepEqual([values.schedule, values.T, values.weighting, values.gamma, values.prediction], ["linear", 250, "min-snr", 3, "v"]);
  });

  it("trainerSetup turns the URL's log₁₀ lr, batch and weighting into the trainer's numbers", () => {
    const v = {...start, lr: -3, batch: "512", weighting: "min-snr" as const, gamma: 2, width: "128", depth: 2};
    const setup = trainerSetup(v, new Float64Array([0, 0, 1, 1]));
    assert.ok(Math.abs(setup.config.lr! - 1e-3) < 1e-15);
    assert.deepEqual([setup.config.batchSize, setup.config.weighting, setup.config.snrGamma], [512, "min-snr", 2]);
    assert.deepEqual([setup.config.model!.width, setup.config.model!.depth, setup.config.model!.prediction], [128, 2, "v"]);
    assert.deepEqual(setup.schedule, {name: "cosine", T: 100});
    assert.deepEqual(optimiserPatch(v), {lr: setup.config.lr, batchSize: 512, weighting: "min-snr", snrGamma: 2});
  });

  it("architectureKey changes with what needs new weights, not with optimiser settings or the weighting", () => {
    const key = architectureKey(start);
    for (const change of [{lr: -3}, {batch: "1024"}, {weighting: "min-snr" as const}, {gamma: 9}, {data: "moons"}, {backend: "cpu" as const}]) {
      assert.equal(architectureKey({...start, ...change}), key, JSON.stringify(change));
    }
    for (const change of [{width: "32"}, {depth: 4}, {prediction: "eps" as const}, {schedule: "linear" as const}, {T: 50}, {seed: 2}, {activation: "silu" as const}]) {
      assert.notEqual(architectureKey({...start, ...change}), key, JSON.stringify(change));
    }
  });
});

describe("page/state/schedules", () => {
  it("every setting but the scrubbed t has an input; T's slider is logarithmic", () => {
    const withInput = Object.entries(schedulesTable).filter(([, p]) => p.control).map(([k]) => k);
    assert.deepEqual(withInput, Object.keys(schedulesTable).filter((k) => k !== "t"));
    assert.deepEqual(schedulesTable.T.control, {kind: "range", label: "T (steps)", log: true});
  });

  it("curveOptions at the defaults gives the published curves (linear ᾱ_T = 4.04e-5 at T = 1000), and the endpoints reach them", () => {
    const options = curveOptions(defaults(schedulesTable));
    assert.equal(forwardCurve("linear", 1000, options.linear).alphaBar[1000].toExponential(2), "4.04e-5");
    assert.equal(forwardCurve("karras", 1000, options.karras).alphaBar[1000], 1 / (1 + 80 ** 2));
    const moved = curveOptions({...defaults(schedulesTable), "linear-end": 0.01, "sigma-max": 10, zsnr: true});
    assert.equal(forwardCurve("linear", 1000, moved.linear).beta[999], forwardCurve("linear", 1000, {betaEnd: 0.01, zeroTerminalSnr: true}).beta[999]);
    assert.equal(forwardCurve("cosine", 1000, moved.cosine).alphaBar[1000], 0);
    assert.equal(forwardCurve("karras", 1000, moved.karras).alphaBar[1000], 1 / (1 + 10 ** 2));
  });
});

describe("page/state/sampling", () => {
  it("steps start at DDPM's 1000 clamped to the exact schedule's T = 100 and reach the given maximum; the trained network is named", () => {
    const table = samplingTable({stepsMax: 250, whose: "yours"});
    assert.deepEqual([table.steps.default, table.steps.min, table.steps.max], [100, 1, 250]);
    assert.equal(table.denoiser.control?.kind === "radio" && table.denoiser.control.labels?.trained, "trained network (yours)");
    assert.deepEqual(readState(table, "?sampler=heun&steps=251").rejected, ["steps=251 is not valid; using 100"]);
  });
});
