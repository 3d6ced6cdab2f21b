// The students of /faster, trained on the shipped teacher with tfjs's wasm backend in Node (the site's
// binary): every round's loss falls, a 4-step progressive-distillation student beats the teacher's
// DDIM-4, and reflow straightens rectified flow's paths.
import assert from "node:assert/strict";
import {before, describe, it} from "node:test";
import {readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {prepareNodeWasm} from "../../scripts/node-wasm.js";
import * as tf from "../../components/vendor/tfjs.js";
import {shippedModelPath} from "../../components/model/shipped-model-key.js";
import {parseWeightsFile} from "../../components/model/weights.js";
import {Student, flowField, studentGrid} from "../../components/model/distill.js";
import {MLPDenoiser} from "../../components/model/denoiser.js";
import {FIELD_GRID, FIELD_TAUS} from "../../components/model/faster-config.js";
import {fieldError, flowMarginal, flowVelocity} from "../../components/math/flow.js";
import {logDensityAt, mixtureByName} from "../../components/math/mixture.js";
import {gridPoints} from "../../components/math/point-grid.js";
import {SHIPPED_MODEL} from "../../components/model/shipped-model.js";
import {runFasterSuite, type SuiteEvent, type SuiteOptions} from "../../components/model/faster-suite.js";
import {makeSchedule} from "../../components/math/schedules.js";
import {sampleDataset} from "../../components/math/datasets.js";
import {fillNormal, rngFromSeed} from "../../components/math/random.js";
import {timesteps} from "../../components/samplers/timesteps.js";

const file = parseWeightsFile(readFileSync(shippedModelPath(fileURLToPath(new URL("../../", import.meta.url))), "utf8"));
const schedule = makeSchedule(file.schedule.name, file.schedule.T);

before(async () => {
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  tf.setWasmPaths(prepareNodeWasm());
  assert.ok(await tf.setBackend("wasm"));
});

async function events(options: Partial<SuiteOptions>): Promise<SuiteEvent[]> {
  const out: SuiteEvent[] = [];
  for await (const e of runFasterSuite(file, schedule, options)) out.push(e);
  return out;
}

const sw = (all: SuiteEvent[], method: string, nfe: number) => {
  const found = all.find((e) => e.type === "quality" && e.method === method && e.nfe === nfe);
  assert.ok(found && found.type === "quality", `no quality point for ${method} at NFE ${nfe}`);
  return found.sw;
};

describe("studentGrid", () => {
  it("halves by taking every other timestep of the grid twice as fine (so two teacher steps make one student step)", () => {
    for (const N of [1, 2, 4, 8, 16, 32]) assert.deepEqual(studentGrid(100, N), timesteps(100, 2 * N).filter((_, i) => i % 2 === 0));
  });
});

describe("Student", () => {
  it("leaves tf.memory().numTensors as it found it across training chunks and sampling, for every kind", async () => {
    const data = sampleDataset("ring", 500, rngFromSeed(1)), weights = file.ema ?? file.weights;
    for (const kind of ["pd", "cm", "rf"] as const) {
      const student = new Student({kind, config: file.config, schedule, init: weights, teacher: weights, data, steps: 4, batchSize: 64});
      await student.runChunk(2);
      const z = fillNormal(new Float64Array(100), rngFromSeed(2));
      await student.sample(z, {steps: 3, times: [99, 40]});
      const before = tf.memory().numTensors;
      await student.runChunk(3);
      await student.sample(z, {steps: 3, times: [99, 40]});
      assert.equal(tf.memory().numTensors, before, kind);
      student.dispose();
    }
  });

  it("refuses a distillation student without a teacher, with a message naming what is missing", () => {
    assert.throws(() => new Student({kind: "pd", config: file.config, schedule, init: file.weights, data: new Float64Array(4)}), /needs teacher weights/);
  });
});

describe("progressive distillation", () => {
  it("each halving round's loss falls, and the 4-step student beats the teacher's DDIM-4 by ≥ 25% in SW₂ on each of 3 seeds", async () => {
    // Measured (scripts/faster-quality.ts, 300 steps a round): DDIM-4 0.153, PD-4 0.10–0.11; floor 0.080.
    for (const seed of [1, 2, 3]) {
      const all = await events({seed, methods: ["DDIM", "Progressive distillation"], pdSteps: 200});
      for (const e of all) if (e.type === "round-end") assert.ok(e.lastLoss < 0.5 * e.firstLoss, `seed ${seed} round ${e.round}: ${e.firstLoss} → ${e.lastLoss}`);
      assert.equal(all.filter((e) => e.type === "round-end").length, 6);
      const pd = sw(all, "Progressive distillation", 4), ddim = sw(all, "DDIM", 4);
      assert.ok(pd < 0.75 * ddim, `seed ${seed}: PD-4 ${pd} vs DDIM-4 ${ddim}`);
    }
  });
});

describe("consistency distillation", () => {
  it("its loss falls and one step lands far closer to the data than one DDIM step of the teacher", async () => {
    const all = await events({seed: 1, methods: ["DDIM", "Consistency model"], cmSteps: 400});
    const end = all.find((e) => e.type === "round-end");
    assert.ok(end && end.type === "round-end" && end.lastLoss < 0.6 * end.firstLoss, JSON.stringify(end));
    // Measured: DDIM-1 0.99, the consistency model 0.12 (floor 0.080).
    assert.ok(sw(all, "Consistency model", 1) < 0.3 * sw(all, "DDIM", 1));
  });
});

describe("rectified flow", () => {
  let all: SuiteEvent[];
  before(async () => {
    all = await events({seed: 1, methods: ["Rectified flow", "Rectified flow, reflowed"], rfSteps: 500});
  });

  it("reflow cuts the mean curvature of its Euler paths at least fivefold, and its one-step samples beat the first flow's", () => {
    const curvature = (m: string) => {
      const e = all.find((x) => x.type === "curvature" && x.method === m);
      assert.ok(e && e.type === "curvature");
      return e.value;
    };
    // Measured (800 steps each): 0.46 → 0.010; the exact field of the 8 Gaussians gives 0.47.
    const before = curvature("Rectified flow"), after = curvature("Rectified flow, reflowed");
    assert.ok(before > 0.3, `first flow ${before}`);
    assert.ok(after < before / 5, `${before} → ${after}`);
    assert.ok(sw(all, "Rectified flow, reflowed", 1) < 0.5 * sw(all, "Rectified flow", 1));
  });

  it("learns the exact straight-path field: its density-weighted error on the page's grid is small at every τ, the untrained network's is not", async () => {
    const m = mixtureByName(SHIPPED_MODEL.mixture), points = gridPoints(FIELD_GRID.k, FIELD_GRID.extent);
    const errors = (velocity: Float64Array[]) => FIELD_TAUS.map((tau, i) => fieldError(velocity[i], flowVelocity(m, tau, points), logDensityAt(flowMarginal(m, tau), points).map(Math.exp)));
    const event = all.find((e) => e.type === "field" && e.method === "Rectified flow");
    assert.ok(event && event.type === "field" && event.velocity.length === FIELD_TAUS.length);
    const untrainedNet = new MLPDenoiser(file.config, file.ema ?? file.weights);
    const untrained = errors(await flowField(untrainedNet, points, FIELD_TAUS));
    untrainedNet.dispose();
    const trained = errors(event.velocity), mean = (e: number[]) => e.reduce((a, b) => a + b, 0) / e.length;
    const show = (e: number[]) => e.map((v) => v.toFixed(2)).join(" ");
    // Measured (seed 1, 500 steps): trained 0.14–0.41, mean 0.21 (worst near τ = 0.55, where the field
    // turns towards one mode); the teacher's weights read as a velocity: 0.39–1.12, mean 0.77.
    assert.ok(Math.max(...trained) < 0.5 && mean(trained) < 0.3, `trained: ${show(trained)} | untrained: ${show(untrained)}`);
    assert.ok(mean(untrained) > 2.5 * mean(trained), `trained: ${show(trained)} | untrained: ${show(untrained)}`);
  });
});
