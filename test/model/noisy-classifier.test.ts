// The trained classifier of noisy points: its input gradient against finite differences, and after
// training, its accuracy on noisy points against the exact Bayes classifier's on the same draws.
import assert from "node:assert/strict";
import {before, describe, it} from "node:test";
import * as tf from "../../components/vendor/tfjs.js";
import {ClassifierNet} from "../../components/model/noisy-classifier.js";
import {labelledByName, sampleLabelled} from "../../components/math/labelled.js";
import {bayesAccuracy} from "../../components/math/classifier.js";
import {alphaBarAt, makeSchedule} from "../../components/math/schedules.js";
import {fillNormal, rngFromSeed} from "../../components/math/random.js";

before(async () => {
  await tf.setBackend("cpu");
});

const schedule = makeSchedule("cosine", 100);
const lm = labelledByName("ring-modes");
const {points, labels} = sampleLabelled(lm, 2000, rngFromSeed(1));

describe("ClassifierNet", () => {
  it("gives ∇ log p(c | x_t) that matches central finite differences of log p (after some training, so it is not flat)", async () => {
    const net = new ClassifierNet(schedule, points, labels, {classes: 8, width: 32, depth: 2, seed: 2});
    await net.train(30);
    const x = fillNormal(new Float64Array(10), rngFromSeed(3)), t = 37.5, c = 3, h = 1e-2;
    const grad = await net.gradLogProb(x, t, c);
    for (let k = 0; k < x.length; ++k) {
      const up = x.slice(), down = x.slice();
      up[k] += h;
      down[k] -= h;
      const i = k >> 1, fd = (Math.log((await net.probs(up, t))[i * 8 + c]) - Math.log((await net.probs(down, t))[i * 8 + c])) / (2 * h);
      // float32 forward passes: the difference of two logs carries ~1e-4 of rounding.
      assert.ok(Math.abs(fd - grad[k]) < 0.02 * Math.max(1, Math.abs(fd)), `coordinate ${k}: finite difference ${fd}, gradient ${grad[k]}`);
    }
    net.dispose();
  });

  it("after 600 steps names the class of noisy points within 5 points of the exact Bayes classifier at t = 20 and 60, and keeps tensors flat", async () => {
    const before = tf.memory().numTensors;
    const net = new ClassifierNet(schedule, points, labels, {classes: 8, seed: 4});
    const first = await net.train(300), last = await net.train(300);
    assert.ok(last < first, `loss ${first} → ${last}`);
    const held = sampleLabelled(lm, 1000, rngFromSeed(5)), z = fillNormal(new Float64Array(2000), rngFromSeed(6));
    for (const t of [20, 60]) {
      const mine = await net.accuracy(held.points, held.labels, t, z), exact = bayesAccuracy(lm, alphaBarAt(schedule, t), held.points, held.labels, z);
      assert.ok(mine > exact - 0.05, `t = ${t}: trained ${mine}, exact ${exact}`);
    }
    net.dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  it("rebuild() (what a lost WebGL context calls for) recreates the trained weights and Adam state: training then goes on exactly as without it", async () => {
    const x = fillNormal(new Float64Array(40), rngFromSeed(8)), t = 30;
    const rebuilt = new ClassifierNet(schedule, points, labels, {classes: 8, width: 32, depth: 2, seed: 7});
    const straight = new ClassifierNet(schedule, points, labels, {classes: 8, width: 32, depth: 2, seed: 7});
    await rebuilt.train(40);
    await straight.train(40);
    const trained = await rebuilt.probs(x, t), tensors = tf.memory().numTensors;
    rebuilt.rebuild();
    assert.equal(tf.memory().numTensors, tensors);
    assert.deepEqual(await rebuilt.probs(x, t), trained);
    await rebuilt.train(40);
    await straight.train(40);
    const a = await rebuilt.probs(x, t), b = await straight.probs(x, t);
    for (let i = 0; i < a.length; ++i) assert.ok(Math.abs(a[i] - b[i]) < 1e-6, `p[${i}]: ${a[i]} after a rebuild, ${b[i]} without`);
    assert.ok(a.some((p, i) => Math.abs(p - trained[i]) > 1e-3), "the 40 steps after the rebuild changed the classifier");
    rebuilt.dispose();
    straight.dispose();
  });
});
