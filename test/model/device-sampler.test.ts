// Every sampler run on the backend (runOnDevice of its program) against the reference: the sampler's
// own JS step generator on networkDenoiser, with the same shipped weights, start and seed.
import assert from "node:assert/strict";
import {before, describe, it} from "node:test";
import {readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import * as tf from "../../components/vendor/tfjs.js";
import {MLPDenoiser} from "../../components/model/denoiser.js";
import {SharedTimeNetwork} from "../../components/model/shared-time.js";
import {runOnDevice, sampleOnDeviceProgram, withNetwork} from "../../components/model/device-sampler.js";
import {guidedNetworkDenoiser} from "../../components/model/conditional-network.js";
import {paramSpecs, type DenoiserConfig} from "../../components/model/denoiser-config.js";
import {ddim} from "../../components/samplers/ddim.js";
import {networkDenoiser} from "../../components/model/network-denoiser.js";
import {shippedModelPath} from "../../components/model/shipped-model-key.js";
import {parseWeightsFile} from "../../components/model/weights.js";
import {makeSchedule, type ScheduleName} from "../../components/math/schedules.js";
import {rngFromSeed} from "../../components/math/random.js";
import {samplerByName, type AnySamplerOptions, type SamplerName, type SamplerState} from "../../components/samplers/index.js";
import {startNoise} from "../../components/samplers/sampling-plan.js";
import {maxAbsDiff} from "../arrays.js";

before(async () => {
  await tf.setBackend("cpu");
});


describe("runOnDevice", () => {
  const file = parseWeightsFile(readFileSync(shippedModelPath(fileURLToPath(new URL("../../", import.meta.url))), "utf8"));
  const schedule = makeSchedule(file.schedule.name as ScheduleName, file.schedule.T);
  /** Every sampler of the table; Langevin with fewer steps than its default 1000, to keep the test short. */
  const runs: [SamplerName, Partial<AnySamplerOptions>][] = [
    ["ddpm", {steps: 100}], ["ddim", {steps: 50}], ["ddim", {steps: 12, eta: 0.8, spacing: "karras"}],
    ["euler", {steps: 50}], ["heun", {steps: 18}], ["dpm-solver++", {steps: 20}],
    ["langevin", {steps: 60}], ["annealed-langevin", {steps: 60, levels: 6}],
  ];
  for (const [sampler, patch] of runs) {
    it(`records the states of ${sampler} ${JSON.stringify(patch)} as the JS sampler on networkDenoiser does (shipped weights, same start and noise), numTensors flat`, async () => {
      const model = new MLPDenoiser(file.config, file.ema!);
      const entry = samplerByName(sampler);
      const options = (): AnySamplerOptions => ({steps: 1, ...patch, rng: rngFromSeed(11)});
      const xT = startNoise(400, 3);
      const reference: SamplerState[] = [];
      for await (const s of entry.steps(networkDenoiser(model, schedule), schedule, xT, options())) reference.push(s);
      const before = tf.memory().numTensors;
      const net = new SharedTimeNetwork(model);
      const opts = options();
      const device: SamplerState[] = [], counts: number[] = [];
      // 7 states a chunk: several readbacks, one of them short.
      for await (const chunk of runOnDevice(net, schedule, entry.program(schedule, opts), xT, {rng: opts.rng, record: true, chunk: 7})) {
        device.push(...chunk);
        counts.push(tf.memory().numTensors);
      }
      net.dispose();
      assert.equal(tf.memory().numTensors, before, "numTensors as before the run");
      // After the first chunk (x_T alone, before p exists) every readback leaves the same tensors alive: nothing grows.
      assert.equal(new Set(counts.slice(2)).size <= 1, true, `numTensors at each chunk: ${counts.join(", ")}`);
      assert.equal(device.length, reference.length);
      reference.forEach((r, k) => {
        const s = device[k];
        assert.deepEqual([s.i, s.steps, s.t, s.sigma, s.nfe], [r.i, r.steps, r.t, r.sigma, r.nfe], `state ${k}`);
        // Measured ≤ 3e-5 on x (cpu): float32 rounding of the state and the folded coefficients carried
        // through up to 100 evaluations of a network whose Lipschitz constant is a few. x̂0 at the first
        // steps divides the output's rounding by √ᾱ_{T−1} ≈ 0.04 (measured ≤ 6e-4 there). Points are O(1);
        // a wrong coefficient or a misplaced noise draw moves them by ≥ 1e-2.
        assert.ok(maxAbsDiff(s.x, r.x) < 2e-4, `state ${k}: x differs by ${maxAbsDiff(s.x, r.x)}`);
        if (r.x0) assert.ok(maxAbsDiff(s.x0!, r.x0) < 3e-3, `state ${k}: x̂0 differs by ${maxAbsDiff(s.x0!, r.x0)}`);
        else assert.equal(s.x0, null);
      });
      model.dispose();
    });
  }

  it("without recording reads back only the final samples, the same as the recorded run's last state", async () => {
    const model = new MLPDenoiser(file.config, file.ema!);
    const entry = samplerByName("heun");
    const net = new SharedTimeNetwork(model);
    const before = tf.memory().numTensors;
    const final = await sampleOnDeviceProgram(net, schedule, entry.program(schedule, {steps: 10}), {n: 300}, rngFromSeed(4));
    assert.equal(tf.memory().numTensors, before);
    const reference = await entry.run(networkDenoiser(model, schedule), schedule, {n: 300}, {steps: 10, rng: rngFromSeed(4)});
    assert.equal(final.nfe, 19);
    assert.ok(maxAbsDiff(final.x, reference.x) < 1e-3);
    net.dispose();
    model.dispose();
  });

  it("frees everything when the consumer stops after the first chunk", async () => {
    const model = new MLPDenoiser(file.config, file.ema!);
    const entry = samplerByName("dpm-solver++");
    const net = new SharedTimeNetwork(model);
    const before = tf.memory().numTensors;
    const run = runOnDevice(net, schedule, entry.program(schedule, {steps: 20}), startNoise(100, 1), {record: true, chunk: 5});
    await run.next();
    await run.next();
    await run.return();
    assert.equal(tf.memory().numTensors, before);
    net.dispose();
    model.dispose();
  });

  it("runs a conditional network on rows of several classes at once as the JS sampler runs each class on its own (w = 0)", async () => {
    const config: DenoiserConfig = {d: 2, width: 24, depth: 2, activation: "relu", prediction: "v", T: 40, embedDim: 8, timeInput: "input", fourierFeatures: 4, fourierScale: 0.5, classes: 3};
    const rng = rngFromSeed(8);
    const weights = paramSpecs(config).map(({shape}) => Float32Array.from({length: shape.reduce((a, b) => a * b, 1)}, () => (2 * rng() - 1) * Math.sqrt(3 / shape[0])));
    const model = new MLPDenoiser(config, weights), conditionalSchedule = makeSchedule("cosine", 40), per = 50;
    const program = samplerByName("ddim").program(conditionalSchedule, {steps: 10});
    const xT = Float64Array.from([0, 1, 2].flatMap((c) => Array.from(startNoise(per, 20 + c))));
    const labels = Int32Array.from({length: 3 * per}, (_, i) => Math.floor(i / per));
    const before = tf.memory().numTensors;
    const all = await withNetwork(model, model.params, (net) => sampleOnDeviceProgram(net, conditionalSchedule, program, xT, undefined, labels));
    assert.equal(tf.memory().numTensors, before);
    for (let c = 0; c < 3; ++c) {
      const one = await ddim(guidedNetworkDenoiser(model, conditionalSchedule, {c, w: 0}), conditionalSchedule, startNoise(per, 20 + c), {steps: 10, eta: 0});
      const rows = all.x.subarray(c * per * 2, (c + 1) * per * 2);
      // Float32 rounding through 10 steps (the unconditional runs' bound); rows given the next class instead moved by 0.3.
      assert.ok(maxAbsDiff(rows, one.x) < 2e-4, `class ${c}: max |Δ| = ${maxAbsDiff(rows, one.x)}`);
    }
    model.dispose();
  });
});
