// The network as samplers evaluate it (time embedding folded into the biases, one fused kernel a
// layer) against the network as trained (one embedding row per point, one op at a time), on the
// same weights; and the readings of its output that the device sampler folds into its updates.
import assert from "node:assert/strict";
import {before, describe, it} from "node:test";
import {readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import * as tf from "../../components/vendor/tfjs.js";
import {MLPDenoiser, epsFromOutput, x0FromOutput} from "../../components/model/denoiser.js";
import {paramSpecs, type DenoiserConfig, type Prediction} from "../../components/model/denoiser-config.js";
import {SharedTimeNetwork} from "../../components/model/shared-time.js";
import {readings, sampleOnDeviceProgram, withNetwork} from "../../components/model/device-sampler.js";
import {networkDenoiser, referenceDenoiser} from "../../components/model/network-denoiser.js";
import {shippedModelPath} from "../../components/model/shipped-model-key.js";
import {parseWeightsFile} from "../../components/model/weights.js";
import {makeSchedule, type ScheduleName} from "../../components/math/schedules.js";
import {rngFromSeed} from "../../components/math/random.js";
import {sampleDataset} from "../../components/math/datasets.js";
import {Trainer} from "../../components/model/trainer.js";
import {samplerByName} from "../../components/samplers/index.js";
import {maxAbsDiff} from "../arrays.js";

before(async () => {
  await tf.setBackend("cpu");
});


/** Weights with every layer non-zero (initialWeights zeroes the output layer), uniform on ±√(3/fan_in). */
function randomWeights(c: DenoiserConfig, seed: number): Float32Array[] {
  const rng = rngFromSeed(seed);
  return paramSpecs(c).map(({shape}) => {
    const limit = Math.sqrt(3 / shape[0]);
    return Float32Array.from({length: shape.reduce((a, b) => a * b, 1)}, () => (2 * rng() - 1) * limit);
  });
}

const points = (n: number, seed: number) => {
  const rng = rngFromSeed(seed);
  return Float32Array.from({length: 2 * n}, () => 3 * (2 * rng() - 1));
};

describe("SharedTimeNetwork", () => {
  const base: DenoiserConfig = {d: 2, width: 32, depth: 3, activation: "relu", prediction: "v", T: 100, embedDim: 16, timeInput: "input", fourierFeatures: 8, fourierScale: 0.5};
  const variants: [string, Partial<DenoiserConfig>][] = [
    ["the site's shape (ReLU, Fourier features, e(t) into the first layer)", {}],
    ["e(t) into every layer", {timeInput: "every-layer"}],
    ["SiLU, which tfjs does not fuse", {activation: "silu"}],
    ["ELU, fused", {activation: "elu"}],
    ["no Fourier features", {fourierFeatures: 0}],
  ];
  for (const [name, patch] of variants) {
    it(`computes model.forward with e(t) tiled to every row, to float32 rounding: ${name}`, async () => {
      const config = {...base, ...patch};
      const model = new MLPDenoiser(config, randomWeights(config, 3));
      const net = new SharedTimeNetwork(model);
      const x = tf.tensor2d(points(300, 4), [300, 2]);
      for (const t of [0, 1, 37.25, 62.5, 98.9, 99]) {
        const [fast, slow] = tf.tidy(() => [net.forward(x, t), model.forward(x, model.embedding.atFractional(t, 300))]);
        const [a, b] = [await fast.data(), await slow.data()];
        tf.dispose([fast, slow]);
        // Outputs are O(1); the two sum ~50 float32 products per unit in another order (ε ≈ 6e-8 each).
        assert.ok(maxAbsDiff(a, b) < 1e-5, `t = ${t}: max |Δ| = ${maxAbsDiff(a, b)}`);
      }
      tf.dispose(x);
      net.dispose();
      model.dispose();
    });
  }

  it("frees what it sliced: numTensors returns to its value before it was made", () => {
    const model = new MLPDenoiser({...base, timeInput: "every-layer"}, randomWeights({...base, timeInput: "every-layer"}, 1));
    const before = tf.memory().numTensors;
    const net = new SharedTimeNetwork(model);
    net.dispose();
    assert.equal(tf.memory().numTensors, before);
    model.dispose();
  });
});

describe("readings", () => {
  it("give ε̂ and x̂0 as epsFromOutput and x0FromOutput do, for every prediction type", async () => {
    const xt = tf.tensor2d([0.3, -1.2, 2.1, 0.4], [2, 2]);
    const out = tf.tensor2d([0.7, 0.1, -0.5, 1.3], [2, 2]);
    const [sa, so] = [0.6, 0.8];
    for (const prediction of ["eps", "x0", "v"] as Prediction[]) {
      const r = readings(prediction, sa, so);
      const [x, o] = [await xt.data(), await out.data()];
      const eps = tf.tidy(() => epsFromOutput(out, xt, sa, so, prediction));
      const x0 = tf.tidy(() => x0FromOutput(out, xt, sa, so, prediction));
      const [e, z] = [await eps.data(), await x0.data()];
      tf.dispose([eps, x0]);
      for (let i = 0; i < 4; ++i) {
        assert.ok(Math.abs(r.eps.x * x[i] + r.eps.out * o[i] - e[i]) < 1e-6, `${prediction}: ε̂[${i}]`);
        assert.ok(Math.abs(r.x0.x * x[i] + r.x0.out * o[i] - z[i]) < 1e-6, `${prediction}: x̂0[${i}]`);
      }
    }
    tf.dispose([xt, out]);
  });
});

describe("networkDenoiser", () => {
  const file = parseWeightsFile(readFileSync(shippedModelPath(fileURLToPath(new URL("../../", import.meta.url))), "utf8"));
  const schedule = makeSchedule(file.schedule.name as ScheduleName, file.schedule.T);

  it("networkDenoiser, which folds e(t) into the biases, answers as referenceDenoiser does (ε̂ and x̂0, shipped weights)", async () => {
    const model = new MLPDenoiser(file.config, file.ema!);
    const [fast, slow] = [networkDenoiser(model, schedule), referenceDenoiser(model, schedule)];
    const xt = Float64Array.from(points(500, 9));
    for (const t of [0, 3.5, 50, 98.25, 99]) {
      assert.ok(maxAbsDiff(await fast.eps(xt, t), await slow.eps(xt, t)) < 1e-5, `ε̂ at t = ${t}`);
      assert.ok(maxAbsDiff(await fast.x0(xt, t), await slow.x0(xt, t)) < 1e-4, `x̂0 at t = ${t}`);
    }
    model.dispose();
  });

  it("withNetwork over a Trainer's EMA weights runs a program as the JS sampler does on trainer.denoiser(), and frees what it made", async () => {
    const trainer = new Trainer({data: sampleDataset("moons", 500, rngFromSeed(1)), schedule: makeSchedule("cosine", 40), config: {model: {width: 24}, batchSize: 64}, seed: 2});
    await trainer.runChunk(10);
    const options = {steps: 20, eta: 0.5};
    const entry = samplerByName("ddim");
    const reference = await entry.run(trainer.denoiser(), trainer.schedule, {n: 300}, {...options, rng: rngFromSeed(5)});
    const before = tf.memory().numTensors;
    const program = entry.program(trainer.schedule, options);
    const fast = await withNetwork(trainer.model, () => trainer.ema.weights(), (net) => sampleOnDeviceProgram(net, trainer.schedule, program, {n: 300}, rngFromSeed(5)));
    assert.equal(tf.memory().numTensors, before);
    assert.equal(fast.nfe, reference.nfe);
    assert.ok(maxAbsDiff(fast.x, reference.x) < 1e-3, `max |Δ| = ${maxAbsDiff(fast.x, reference.x)}`);
    trainer.dispose();
  });
});
