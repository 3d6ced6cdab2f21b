// The class-conditional network and its trainer (label dropout, classifier-free guidance in one
// batch of 2n rows), and the shipped conditional model (data/shipped-conditional-model/, trained by
// src/data/conditional-model.json.ts): current, and measured against the exact labelled mixture.
import assert from "node:assert/strict";
import {before, describe, it} from "node:test";
import {existsSync, readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import * as tf from "../../components/vendor/tfjs.js";
import {MLPDenoiser, initialWeights} from "../../components/model/denoiser.js";
import {paramSpecs, type DenoiserConfig} from "../../components/model/denoiser-config.js";
import {ConditionalTrainer} from "../../components/model/conditional-trainer.js";
import {conditionalNetworkDenoiser, guidedNetworkDenoiser} from "../../components/model/conditional-network.js";
import {checkCompatible, encodeWeightsFile, parseWeightsFile} from "../../components/model/weights.js";
import {shippedConditionalModelPath} from "../../components/model/shipped-model-key.js";
import {SHIPPED_CONDITIONAL_MODEL} from "../../components/model/shipped-conditional-model.js";
import {classifierFree} from "../../components/samplers/guidance.js";
import {ddim} from "../../components/samplers/ddim.js";
import {labelledByName, sampleLabelled} from "../../components/math/labelled.js";
import {classYardstick, measureClass} from "../../components/math/class-metrics.js";
import {fillNormal, rngFromSeed} from "../../components/math/random.js";
import {makeSchedule} from "../../components/math/schedules.js";
import type {Batch} from "../../components/model/trainer.js";
import {maxAbsDiff} from "../arrays.js";

before(async () => {
  await tf.setBackend("cpu");
});

const schedule = makeSchedule("cosine", 50);
const config: DenoiserConfig = {d: 2, T: 50, width: 16, depth: 2, activation: "relu", prediction: "v", embedDim: 8, timeInput: "input", fourierFeatures: 4, fourierScale: 0.5, classes: 3};


describe("a conditional network's input", () => {
  it("has C more first-layer rows than the unconditional network, and no other change", () => {
    const cond = paramSpecs(config), plain = paramSpecs({...config, classes: 0});
    assert.deepEqual(cond[0].shape, [plain[0].shape[0] + 3, plain[0].shape[1]]);
    assert.deepEqual(cond.slice(1), plain.slice(1));
  });

  it("puts a one-hot class between the Fourier features and e(t), zeros for the null class (−1), as the device's input does", () => {
    const model = new MLPDenoiser(config, initialWeights(config, rngFromSeed(1)));
    const xt = [0.3, -0.2, 1.1, 0.5, -0.7, 0.9], t = [3, 17, 40], labels = [2, -1, 0];
    const rows = model.inputRows(xt, t, labels), K = model.inputSize, at = 2 + 8;
    assert.deepEqual(Array.from({length: 3}, (_, i) => Array.from(rows.slice(i * K + at, i * K + at + 3))), [[0, 0, 1], [0, 0, 0], [1, 0, 0]]);
    const device = tf.tidy(() => model.input(tf.tensor2d(xt, [3, 2]), model.embedding.gather(tf.tensor1d(t, "int32")), tf.tensor2d([0, 0, 1, 0, 0, 0, 1, 0, 0], [3, 3])).dataSync());
    assert.ok(maxAbsDiff(rows, device) < 1e-5);
    model.dispose();
  });
});

describe("classifier-free guidance with the network", () => {
  const weights = initialWeights(config, rngFromSeed(2)).map((w, i) => (i === 4 ? w.map((_, j) => Math.sin(j)) : w)); // a non-zero output layer
  const model = new MLPDenoiser(config, weights);
  const xt = fillNormal(new Float64Array(2 * 20), rngFromSeed(3));

  it("in one batch of 2n rows equals (1 + w)·ε̂(c) − w·ε̂(∅) from two separate evaluations", async () => {
    const cond = conditionalNetworkDenoiser(model, schedule);
    for (const [c, w, negative] of [[1, 2.5, null], [0, 0, null], [null, 1, 2]] as const) {
      const batched = await guidedNetworkDenoiser(model, schedule, {c, w, negative}).eps(xt, 21.5);
      const separate = await classifierFree(cond, {c, w, negative}).eps(xt, 21.5);
      assert.ok(maxAbsDiff(batched, separate) < 1e-5, `c = ${c}, w = ${w}`);
    }
  });

  it("gives different predictions for different classes (the class reaches the output)", async () => {
    const cond = conditionalNetworkDenoiser(model, schedule);
    assert.ok(maxAbsDiff(await cond.eps(xt, 10, 0), await cond.eps(xt, 10, 2)) > 1e-3);
  });

  it("refuses a class out of range, w below −1, and a network without classes", () => {
    assert.throws(() => guidedNetworkDenoiser(model, schedule, {c: 3, w: 1}), /class must be null or an integer in 0…2/);
    assert.throws(() => guidedNetworkDenoiser(model, schedule, {c: 0, w: -2}), /w must be/);
    const plain = new MLPDenoiser({...config, classes: 0}, initialWeights({...config, classes: 0}, rngFromSeed(1)));
    assert.throws(() => conditionalNetworkDenoiser(plain, schedule), /no class input/);
    plain.dispose();
  });
});

/** Exposes the rows a ConditionalTrainer feeds the network, to count dropped labels. */
class Probe extends ConditionalTrainer {
  rowsOf(batch: Batch): Float32Array {
    return this.inputRows(batch);
  }
}

describe("ConditionalTrainer", () => {
  const lm = labelledByName("ring-axes");
  const {points, labels} = sampleLabelled(lm, 400, rngFromSeed(5));
  const small = {model: {width: 16, depth: 2, embedDim: 8, fourierFeatures: 0}, batchSize: 64};

  it("drops the label with probability pUncond and otherwise feeds each sample's own class", () => {
    const trainer = new Probe({data: points, labels, classes: 2, pUncond: 0.3, schedule, config: small, seed: 1});
    const n = 20_000, index = Int32Array.from({length: n}, (_, i) => i % 400);
    const rows = trainer.rowsOf({t: new Int32Array(n), index, bucket: new Int32Array(n), weight: new Float32Array(n), grad: new Float32Array(n), xt: new Float32Array(2 * n), target: new Float32Array(2 * n)});
    const K = trainer.model.inputSize;
    let dropped = 0, wrong = 0;
    for (let i = 0; i < n; ++i) {
      const a = rows[i * K + 2], b = rows[i * K + 3];
      if (a + b === 0) dropped++;
      else if ((a === 1 ? 0 : 1) !== labels[index[i]]) wrong++;
    }
    // Binomial(20,000, 0.3): standard deviation 0.0032; 5 of them.
    assert.ok(Math.abs(dropped / n - 0.3) < 0.016, `dropped ${dropped / n}`);
    assert.equal(wrong, 0);
    trainer.dispose();
  });

  it("trains, saves and loads with the class count in the weights file, and keeps tensors flat through training and guided evaluation", async () => {
    const before = tf.memory().numTensors;
    const trainer = new ConditionalTrainer({data: points, labels, classes: 2, schedule, config: small, seed: 2});
    const r = await trainer.runChunk(5);
    assert.equal(r.diverged, null);
    const file = parseWeightsFile(encodeWeightsFile(trainer.weightsFile()));
    assert.equal(file.config.classes, 2);
    const again = ConditionalTrainer.fromLabelledFile(file, points, labels);
    const xt = fillNormal(new Float64Array(40), rngFromSeed(9));
    assert.ok(maxAbsDiff(await trainer.conditional().eps(xt, 20, 1), await again.conditional().eps(xt, 20, 1)) < 1e-6);
    await again.guided({c: 0, w: 3}).eps(xt, 30.5); // a guided evaluation leaves nothing behind either
    assert.throws(() => checkCompatible(file, {...file.config, classes: 0}, schedule), /classes is 2 in the file and 0 here/);
    trainer.dispose();
    again.dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  it("refuses labels that do not match the data or the classes", () => {
    assert.throws(() => new ConditionalTrainer({data: points, labels: labels.slice(1), classes: 2, schedule, config: small}), /399 labels for 400 points/);
    assert.throws(() => new ConditionalTrainer({data: points, labels, classes: 1, schedule, config: small}), /label 1 is not a class in 0…0/);
  });
});

const path = shippedConditionalModelPath(fileURLToPath(new URL("../../", import.meta.url)));

describe("the shipped conditional model", () => {
  it("is cached for the current recipe and training code (else `npm run build` retrains it: commit the file)", () => {
    assert.ok(existsSync(path), `missing ${path}`);
  });

  it("at w = 0 lands ≥ 95% of its samples in the asked-for class, and at w = 3 they are more concentrated (8 Gaussians, every class, DDIM 50)", async () => {
    const lm = labelledByName(SHIPPED_CONDITIONAL_MODEL.labelled);
    const {points, labels} = sampleLabelled(lm, 100, rngFromSeed(1));
    const trainer = ConditionalTrainer.fromLabelledFile(parseWeightsFile(readFileSync(path, "utf8")), points, labels);
    const at = async (w: number) => {
      let share = 0, spread = 0;
      for (let c = 0; c < 8; ++c) {
        const {x} = await ddim(trainer.guided({c, w}), trainer.schedule, {n: 250}, {steps: 50, eta: 0, rng: rngFromSeed(100 + c)});
        const m = measureClass(lm, c, x, classYardstick(lm, c, 250, 200 + c));
        share += m.shares[c] / 8;
        spread += m.spread / 8;
      }
      return {share, spread};
    };
    const w0 = await at(0), w3 = await at(3);
    trainer.dispose();
    assert.ok(w0.share >= 0.95, `in-class fraction at w = 0: ${w0.share}`);
    assert.ok(w3.spread < 0.9 * w0.spread, `spread at w = 3 ${w3.spread.toFixed(3)} vs w = 0 ${w0.spread.toFixed(3)}`);
  });
});
