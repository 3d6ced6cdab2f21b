import assert from "node:assert/strict";
import {before, describe, it} from "node:test";
import * as tf from "../../components/vendor/tfjs.js";
import {sampleDataset} from "../../components/math/datasets.js";
import {EMA, emaDecayAt} from "../../components/model/ema.js";
import {slicedWasserstein} from "../../components/math/metrics.js";
import {fillNormal, rngFromSeed} from "../../components/math/random.js";
import {makeSchedule, type Schedule} from "../../components/math/schedules.js";
import {Trainer, type TrainerOptions} from "../../components/model/trainer.js";
import {learningRateAt} from "../../components/model/trainer-config.js";
import type {Denoiser, Rng} from "../../components/math/types.js";

before(async () => {
  await tf.setBackend("cpu");
});

const schedule = makeSchedule("cosine", 50);
const moons = sampleDataset("moons", 2000, rngFromSeed(1));
/** A small, fast model: the tests check behaviour, not the tuned defaults. */
const small: TrainerOptions["config"] = {model: {width: 48, depth: 2, embedDim: 16, prediction: "eps", fourierFeatures: 0}, batchSize: 128, lr: 5e-3, warmupSteps: 10, decaySteps: 400};

/** DDPM ancestral sampling, Ho et al. 2020 Alg. 2 with σ² = β̃ — an independent check on the samplers module. */
async function ddpmSample(den: Denoiser, s: Schedule, n: number, rng: Rng): Promise<Float64Array> {
  let x = fillNormal(new Float64Array(2 * n), rng);
  for (let t = s.T - 1; t >= 0; --t) {
    const eps = await den.eps(x, t);
    const abPrev = t > 0 ? s.alphaBar[t - 1] : 1;
    const sd = Math.sqrt(((1 - abPrev) / (1 - s.alphaBar[t])) * s.betas[t]);
    const c = s.betas[t] / s.sqrtOneMinusAlphaBar[t], a = Math.sqrt(s.alphas[t]);
    const z = t > 0 ? fillNormal(new Float64Array(x.length), rng) : null;
    x = x.map((v, k) => (v - c * eps[k]) / a + (z ? sd * z[k] : 0));
  }
  return x;
}

describe("learningRateAt", () => {
  it("warms up linearly, decays by a half cosine to lr·minLrFraction, then holds", () => {
    const c = {lr: 0.01, warmupSteps: 10, decaySteps: 100, minLrFraction: 0.1};
    assert.equal(learningRateAt(0, c), 0.001);
    assert.equal(learningRateAt(9, c), 0.01);
    assert.ok(Math.abs(learningRateAt(60, c) - 0.01 * (0.1 + 0.9 * 0.5)) < 1e-12);
    assert.ok(Math.abs(learningRateAt(110, c) - 0.001) < 1e-12);
    assert.ok(Math.abs(learningRateAt(5000, c) - 0.001) < 1e-12);
    assert.equal(learningRateAt(3, {...c, warmupSteps: 0, decaySteps: 0}), 0.01);
  });
});

describe("EMA", () => {
  it("update applies θ_ema ← β·θ_ema + (1−β)·θ with β = min(decay, (1+k)/(10+k))", async () => {
    const p = tf.variable(tf.tensor1d([1, -2, 3]));
    const ema = new EMA([p], 0.5, "inverse");
    let expected = [1, -2, 3];
    for (let k = 0; k < 12; ++k) {
      const value = [k, 2 * k - 1, -k / 3];
      p.assign(tf.tensor1d(value));
      const beta = Math.min(0.5, (1 + k) / (10 + k));
      assert.equal(ema.update([p]), beta);
      expected = expected.map((e, i) => beta * e + (1 - beta) * value[i]);
      const got = await ema.shadow.data();
      for (let i = 0; i < 3; ++i) assert.ok(Math.abs(got[i] - expected[i]) < 1e-5, `k = ${k}: ${got[i]} vs ${expected[i]}`);
    }
    assert.equal(emaDecayAt(500, 0.999, "none"), 0.999);
    ema.dispose();
    p.dispose();
  });
});

describe("Trainer", () => {
  it("loss falls on two moons: the last of 6 chunks averages under 0.8× the first", async () => {
    const trainer = new Trainer({data: moons, schedule, config: small, seed: 1});
    const chunks = [];
    for (let c = 0; c < 6; ++c) chunks.push(await trainer.runChunk(15));
    trainer.dispose();
    assert.ok(chunks.every((r) => r.diverged === null));
    const first = chunks[0].loss, last = chunks[5].loss;
    assert.ok(last < 0.8 * first, `first ${first}, last ${last}`);
  });

  it("per-bucket losses average (weighted by samples per bucket) to the chunk loss, and are largest at small t", async () => {
    const trainer = new Trainer({data: moons, schedule, config: {...small, buckets: 5}, seed: 2});
    await trainer.runChunk(20);
    const r = await trainer.runChunk(5);
    trainer.dispose();
    const total = r.bucketCount.reduce((a, b) => a + b, 0);
    assert.equal(total, 5 * 128);
    const mean = r.bucketLoss.reduce((a, b, i) => a + (b * r.bucketCount[i]) / total, 0);
    assert.ok(Math.abs(mean - r.loss) < 1e-4 * r.loss, `buckets ${mean}, chunk ${r.loss}`);
    // ε-prediction is hardest where little noise was added.
    assert.ok(r.bucketLoss[0] > r.bucketLoss[4], `${Array.from(r.bucketLoss)}`);
  });

  it("after 150 steps, EMA samples are closer to the data than noise is, and near a second draw of the data (sliced Wasserstein)", async () => {
    // The default's levers (v-prediction, Fourier features of x_t, lr 1e-2) on the small network.
    const model = {...small!.model, prediction: "v" as const, fourierFeatures: 16, fourierScale: 0.25};
    const trainer = new Trainer({data: moons, schedule, config: {...small, lr: 1e-2, model}, seed: 3});
    for (let c = 0; c < 5; ++c) assert.equal((await trainer.runChunk(30)).diverged, null);
    const samples = await ddpmSample(trainer.denoiser(), schedule, 1000, rngFromSeed(4));
    trainer.dispose();
    const held = sampleDataset("moons", 1000, rngFromSeed(5));
    const noise = fillNormal(new Float64Array(2000), rngFromSeed(6));
    const sw = (a: Float64Array) => slicedWasserstein(a, held, 2, {projections: 64, rng: rngFromSeed(7)});
    const swModel = sw(samples), swNoise = sw(noise), swData = sw(sampleDataset("moons", 1000, rngFromSeed(8)));
    assert.ok(swModel < 0.5 * swNoise && swModel < 2.5 * swData, `model ${swModel}, noise ${swNoise}, data ${swData}`);
  });

  it("keeps tf.memory().numTensors flat from construction through any number of chunks, and dispose returns to the start", async () => {
    const start = tf.memory().numTensors;
    const trainer = new Trainer({data: moons, schedule, config: small, seed: 4});
    const built = tf.memory().numTensors;
    for (const steps of [1, 3, 10, 1]) {
      await trainer.runChunk(steps);
      assert.equal(tf.memory().numTensors, built, `after a chunk of ${steps}`);
    }
    await trainer.denoiser().eps(new Float64Array(20), 3.5);
    trainer.setConfig({lr: 1e-3, weighting: "min-snr"});
    trainer.rebuild();
    trainer.reset(9);
    assert.equal(tf.memory().numTensors, built, "after eps, setConfig, rebuild, reset");
    trainer.dispose();
    assert.equal(tf.memory().numTensors, start);
    await assert.rejects(trainer.runChunk(1), /disposed/);
  });

  it("a learning rate of 10 is caught as divergence and every weight goes back to the last good chunk", async () => {
    const trainer = new Trainer({data: moons, schedule, config: small, seed: 5});
    for (let c = 0; c < 3; ++c) await trainer.runChunk(10);
    const x = Float64Array.from({length: 40}, (_, i) => Math.sin(i));
    const before = {raw: await trainer.denoiser("raw").eps(x, 20), ema: await trainer.denoiser("ema").eps(x, 20), step: trainer.stepCount};
    trainer.setConfig({lr: 10, warmupSteps: 0, decaySteps: 0});
    const r = await trainer.runChunk(10);
    assert.ok(r.diverged, "divergence reported");
    assert.match(r.diverged!, /loss (became|jumped).*restored to step 30.*smaller learning rate/);
    assert.equal(r.step, 30);
    assert.equal(trainer.stepCount, before.step);
    assert.deepEqual(await trainer.denoiser("raw").eps(x, 20), before.raw);
    assert.deepEqual(await trainer.denoiser("ema").eps(x, 20), before.ema);
    // Lowering the rate again resumes from the restored state.
    trainer.setConfig({lr: 5e-3});
    assert.equal((await trainer.runChunk(5)).diverged, null);
    trainer.dispose();
  });

  it("Adam's first step moves each weight by lr (m̂/√v̂ = sign g) or, with a zero gradient, not at all", async () => {
    const trainer = new Trainer({data: moons, schedule, config: {...small, lr: 1e-3, warmupSteps: 0}, seed: 6});
    const w0 = trainer.lastGood().weights;
    await trainer.runChunk(1);
    const w1 = trainer.lastGood().weights;
    trainer.dispose();
    // The output layer starts at zero, so on step one only it (kernel and bias) has a gradient,
    // except rows fed by a ReLU unit that is off for the whole batch.
    const last = w0.length - 2;
    let moving = 0, outputs = 0;
    w0.forEach((w, p) => {
      for (let j = 0; j < w.length; ++j) {
        const moved = Math.abs(w1[p][j] - w[j]);
        if (p < last) { assert.equal(moved, 0); continue; }
        outputs++;
        if (moved === 0) continue;
        moving++;
        assert.ok(Math.abs(moved - 1e-3) < 2e-6, `param ${p}[${j}] moved ${moved}`);
      }
    });
    assert.ok(moving > 0.8 * outputs, `${moving} of ${outputs} output weights moved`);
  });

  it("is deterministic per seed: reset(seed) reproduces a fresh trainer's losses; rebuild() continues exactly", async () => {
    const a = new Trainer({data: moons, schedule, config: small, seed: 8});
    const b = new Trainer({data: moons, schedule, config: small, seed: 99});
    b.reset(8);
    const ra = await a.runChunk(5), rb = await b.runChunk(5);
    assert.deepEqual(ra.losses, rb.losses);
    // rebuild() recreates every tensor from the snapshot (as after a backend switch).
    b.rebuild();
    assert.deepEqual((await a.runChunk(5)).losses, (await b.runChunk(5)).losses);
    a.dispose();
    b.dispose();
  });

  it("a chunk that throws part-way (e.g. a lost GPU) leaves the weights of the last good chunk and no tensors behind", async () => {
    const trainer = new Trainer({data: moons, schedule, config: small, seed: 10});
    await trainer.runChunk(5);
    const x = Float64Array.from({length: 10}, (_, i) => i / 5 - 1);
    const before = await trainer.denoiser("raw").eps(x, 10);
    const tensors = tf.memory().numTensors;
    const internals = trainer as unknown as {sampleBatch: () => unknown};
    const original = internals.sampleBatch.bind(trainer);
    let calls = 0;
    internals.sampleBatch = () => {
      if (++calls === 3) throw new Error("context lost");
      return original();
    };
    await assert.rejects(trainer.runChunk(5), /context lost/);
    internals.sampleBatch = original;
    assert.deepEqual(await trainer.denoiser("raw").eps(x, 10), before);
    assert.equal(trainer.stepCount, 5);
    assert.equal(tf.memory().numTensors, tensors);
    trainer.dispose();
  });

  it("refuses settings that cannot work, naming them, and keeps the old ones", () => {
    assert.throws(() => new Trainer({data: moons, schedule, config: {batchSize: 0}}), /batchSize must be a positive integer, got 0/);
    const trainer = new Trainer({data: moons, schedule, config: small});
    assert.throws(() => trainer.setConfig({lr: -1}), /lr must be a positive number, got -1/);
    assert.equal(trainer.config.lr, small!.lr);
    trainer.dispose();
  });

  it("refuses data it cannot train on with a clear message", () => {
    assert.throws(() => new Trainer({data: new Float64Array(0), schedule}), /positive multiple of d = 2/);
    assert.throws(() => new Trainer({data: Float64Array.from([0, NaN]), schedule}), /non-finite/);
  });
});

