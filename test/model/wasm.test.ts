// The wasm backend's own code paths, run in Node with the site's wasm binary against the cpu
// backend: the explicit transposes and row sums the backward pass takes there, a training chunk, and
// the sampling path (wasm's fused matmul reads a bias's rank off its data, which a reshape shares: a
// bias made by reshape would be refused there and nowhere else; and only wasm takes the Fourier
// features' sin and cos from one tan).
import assert from "node:assert/strict";
import {before, describe, it} from "node:test";
import {prepareNodeWasm} from "../../scripts/node-wasm.js";
import * as tf from "../../components/vendor/tfjs.js";
import {MLPDenoiser, matMulT, sumRows} from "../../components/model/denoiser.js";
import {paramSpecs, type DenoiserConfig} from "../../components/model/denoiser-config.js";
import {sampleOnDeviceProgram, withNetwork} from "../../components/model/device-sampler.js";
import {Trainer} from "../../components/model/trainer.js";
import {referenceDenoiser} from "../../components/model/network-denoiser.js";
import {makeSchedule} from "../../components/math/schedules.js";
import {sampleDataset} from "../../components/math/datasets.js";
import {rngFromSeed} from "../../components/math/random.js";
import {samplerByName, type AnySamplerOptions, type SamplerName} from "../../components/samplers/index.js";
import {maxAbsDiff} from "../arrays.js";

before(async () => {
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  tf.setWasmPaths(prepareNodeWasm());
  assert.ok(await tf.setBackend("wasm"), "the wasm backend initialises in Node");
});


/** Runs `f` on each backend (values in, plain arrays out) and returns both results. */
async function onBoth<T>(f: () => Promise<T>): Promise<{wasm: T; cpu: T}> {
  await tf.setBackend("cpu");
  const cpu = await f();
  await tf.setBackend("wasm");
  return {wasm: await f(), cpu};
}

const values = (n: number, seed: number) => {
  const rng = rngFromSeed(seed);
  return Float32Array.from({length: n}, () => 2 * rng() - 1);
};

describe("wasm backend", () => {
  it("matMulT and sumRows give the transposed products and row sums the cpu backend computes", async () => {
    const [a, b, w] = [values(37 * 5, 1), values(37 * 4, 2), values(6 * 4, 3)];
    const {wasm, cpu} = await onBoth(async () => {
      const out = tf.tidy(() => {
        const A = tf.tensor2d(a, [37, 5]), B = tf.tensor2d(b, [37, 4]), W = tf.tensor2d(w, [6, 4]);
        return [matMulT(A, B, true, false), matMulT(B, W, false, true), sumRows(B)];
      });
      const data = await Promise.all(out.map((t) => t.data()));
      tf.dispose(out);
      return data;
    });
    for (let i = 0; i < 3; ++i) assert.ok(maxAbsDiff(wasm[i], cpu[i]) < 1e-5, `output ${i}`);
  });

  it("trains as the cpu backend does: same losses and weights after a chunk from one seed, to float32 rounding", async () => {
    const schedule = makeSchedule("cosine", 40);
    const {wasm, cpu} = await onBoth(async () => {
      const trainer = new Trainer({data: sampleDataset("moons", 500, rngFromSeed(1)), schedule, config: {model: {width: 24}, batchSize: 64}, seed: 2});
      const r = await trainer.runChunk(5);
      const weights = trainer.lastGood().weights;
      trainer.dispose();
      return {losses: r.losses, weights: weights.flatMap((w) => Array.from(w))};
    });
    assert.ok(maxAbsDiff(wasm.losses, cpu.losses) < 1e-4, `losses ${Array.from(wasm.losses)} vs ${Array.from(cpu.losses)}`);
    // Adam's first steps move each weight by ~lr = 1e-2 whatever the gradient's size, so a gradient
    // that differs in rounding moves weights alike; 1e-4 is 1% of one step.
    assert.ok(maxAbsDiff(wasm.weights, cpu.weights) < 1e-4);
  });

  const samplingConfig: DenoiserConfig = {d: 2, width: 16, depth: 2, activation: "relu", prediction: "v", T: 30, embedDim: 8, timeInput: "input", fourierFeatures: 4, fourierScale: 0.5};
  const runs: [string, Partial<DenoiserConfig>, SamplerName, Partial<AnySamplerOptions>][] = [
    ["DDIM on the Karras grid, e(t) into every layer", {timeInput: "every-layer"}, "ddim", {steps: 12, spacing: "karras"}],
    ["DDPM (noise scaled before upload)", {}, "ddpm", {steps: 20}],
    ["DPM-Solver++ (a register p)", {}, "dpm-solver++", {steps: 10}],
  ];
  for (const [name, patch, sampler, options] of runs) {
    it(`samples on device (one fused kernel a layer, e(t) and the update folded into biases and the output layer, sin and cos from one tan) as the network as trained does on cpu: ${name}`, async () => {
      const config = {...samplingConfig, ...patch};
      const rng = rngFromSeed(5);
      const weights = paramSpecs(config).map(({shape}) => Float32Array.from({length: shape.reduce((x, y) => x * y, 1)}, () => (2 * rng() - 1) * Math.sqrt(3 / shape[0])));
      const schedule = makeSchedule("cosine", 30);
      const entry = samplerByName(sampler);
      await tf.setBackend("cpu");
      let model = new MLPDenoiser(config, weights);
      const reference = await entry.run(referenceDenoiser(model, schedule), schedule, {n: 200}, {steps: 1, ...options, rng: rngFromSeed(9)});
      model.dispose();
      await tf.setBackend("wasm");
      model = new MLPDenoiser(config, weights);
      const before = tf.memory().numTensors;
      const fast = await withNetwork(model, model.params, (net) => sampleOnDeviceProgram(net, schedule, entry.program(schedule, {steps: 1, ...options}), {n: 200}, rngFromSeed(9)));
      assert.equal(tf.memory().numTensors, before);
      model.dispose();
      assert.ok(maxAbsDiff(fast.x, reference.x) < 1e-3, `max |Δ| = ${maxAbsDiff(fast.x, reference.x)}`);
    });
  }
});
