// The chapters' URL tables: their defaults are the settings the chapters were measured with, links
// between chapters round-trip, and the values map onto what the trainer and the curves take.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import {defaults, formatState, readState} from "../../components/page/url-state.js";
import {RECIPE_KEYS, architectureKey, followRecipe, optimiserPatch, readTrainingState, recipeLine, recipeValues, trainerSetup, trainingTable, trainingTableFor} from "../../components/page/state/training.js";
import {DATASETS} from "../../components/math/datasets.js";
import {describeRecipe, recipeFor} from "../../components/model/recipes.js";
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

  it("trainerSetup asks for a conditional model (8 classes, the labels, p_uncond) only with conditioning on the 8 Gaussians; the key changes with it", async () => {
    const {conditionalData} = await import("../../components/page/state/training.js");
    const {points, labels} = conditionalData();
    assert.equal(labels.length * 2, points.length);
    const v = defaults(trainingTable);
    assert.equal(trainerSetup({...v, conditioning: "class"}, points, labels).classes, 8);
    assert.equal(trainerSetup({...v, conditioning: "class", data: "moons"}, points, labels).classes, undefined);
    assert.equal(trainerSetup(v, points, labels).classes, undefined);
    assert.notEqual(architectureKey({...v, conditioning: "class"}), architectureKey(v));
    assert.equal(architectureKey({...v, conditioning: "class", data: "moons"}), architectureKey({...v, data: "moons"}));
  });

  it("architectureKey changes with what needs new weights (the data set too: a new set starts fresh on its recipe), not with optimiser settings or the weighting", () => {
    const key = architectureKey(start);
    for (const change of [{lr: -3}, {batch: "1024"}, {weighting: "min-snr" as const}, {gamma: 9}, {backend: "cpu" as const}]) {
      assert.equal(architectureKey({...start, ...change}), key, JSON.stringify(change));
    }
    for (const change of [{width: "32"}, {depth: 4}, {prediction: "eps" as const}, {schedule: "linear" as const}, {T: 50}, {seed: 2}, {activation: "silu" as const}, {data: "moons"}, {data: "draw"}]) {
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

describe("page/state/training: each data set's recipe", () => {
  it("a data set's recipe (recipeFor) sets every control it covers to values the URL table accepts", () => {
    for (const {name} of DATASETS) {
      const r = recipeValues(name);
      for (const key of RECIPE_KEYS) {
        const param = trainingTable[key] as {parse(raw: string): unknown; format(v: unknown): string};
        assert.equal(param.format(param.parse(param.format(r[key]))), param.format(r[key]), `${name}.${key} = ${r[key]}`);
      }
    }
  });

  it("trainerSetup trains each data set, left as the URL names it, with exactly its recipe", () => {
    for (const {name} of DATASETS) {
      const {values, rejected} = readTrainingState(`?data=${name}`);
      assert.deepEqual(rejected, []);
      const setup = trainerSetup(values, new Float64Array([0, 0, 1, 1])), recipe = recipeFor(name);
      assert.ok(Math.abs(setup.config.lr! / recipe.config.lr - 1) < 1e-12, `${name} lr`);
      assert.deepEqual({...setup.config, lr: 0}, {...recipe.config, lr: 0}, name);
      assert.deepEqual(setup.schedule, recipe.schedule, name);
    }
  });

  it("a URL lists only what differs from its data set's recipe and reads back to the same state", () => {
    for (const {name} of DATASETS) {
      const {values} = readTrainingState(`?data=${name}`);
      assert.equal(formatState(trainingTableFor(name), values), name === "ring" ? "" : `?data=${name}`);
      // the reader's own settings, including ones equal to another set's recipe, survive the round trip
      for (const change of [{lr: -2, batch: "256", width: "64"}, {lr: -3.5, T: 50, depth: 2, seed: 4}]) {
        const changed = {...values, ...change};
        const back = readTrainingState(formatState(trainingTableFor(name), changed)).values;
        for (const key of Object.keys(trainingTable) as (keyof typeof trainingTable)[]) {
          const p = trainingTable[key] as {format(v: unknown): string};
          assert.equal(p.format(back[key]), p.format(changed[key]), `${name} ${JSON.stringify(change)}: ${key}`);
        }
      }
    }
  });

  it("recipeLine names the data set and what its recipe changes; a drawing gets the defaults", () => {
    for (const {name, label} of DATASETS) {
      const line = recipeLine(name);
      assert.ok(line.startsWith(`Recipe for ${label}: `), line);
      assert.ok(line.includes(describeRecipe(name) || "the defaults"), line);
    }
    assert.match(recipeLine("draw"), /default recipe/);
  });

  it("followRecipe sets the recipe's controls when the data set changes, each with an input event, and detaches", () => {
    const input = (value: unknown) => Object.assign(new EventTarget(), {value, events: 0});
    const ring = recipeValues("ring");
    assert.ok(DATASETS.some(({name}) => RECIPE_KEYS.some((k) => `${recipeValues(name)[k]}` !== `${ring[k]}`)), "no recipe changes a control: this test checks nothing");
    const controls = Object.fromEntries(["data", ...RECIPE_KEYS, "seed"].map((k) => [k, input(k === "data" ? "ring" : k === "seed" ? 7 : ring[k as keyof typeof ring])]));
    for (const c of Object.values(controls)) c.addEventListener("input", () => c.events++);
    const detach = followRecipe(controls);
    for (const {name} of DATASETS.filter((d) => d.name !== "ring")) {
      controls.data.value = name;
      controls.data.dispatchEvent(new Event("input"));
      const r = recipeValues(name);
      for (const key of RECIPE_KEYS) assert.equal(trainingTable[key].format(controls[key].value as never), trainingTable[key].format(r[key] as never), `${name}.${key}`);
    }
    assert.equal(controls.seed.value, 7);
    assert.equal(controls.seed.events, 0);
    detach();
    const others = () => RECIPE_KEYS.map((k) => `${controls[k].value}`).join();
    const before = others();
    controls.data.value = controls.data.value === "ring" ? "spiral" : "ring";
    controls.data.dispatchEvent(new Event("input"));
    assert.equal(others(), before, "a control followed the data set after detach");
  });
});
