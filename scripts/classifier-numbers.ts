// Classifier guidance with the exact unconditional score, exact classifier against a trained one
// (ClassifierNet, as /guidance trains it in its worker: 800 steps on 4,000 labelled draws; STEPS=… for more), measured
// per class and averaged: `npx tsx scripts/classifier-numbers.ts` (env: SS=1,4 SEEDS=1 CLASSES=0,…;
// wasm backend in Node). Prints one line per scale s.
import {prepareNodeWasm} from "./node-wasm.js";
import * as tf from "../components/vendor/tfjs.js";
import {ClassifierNet} from "../components/model/noisy-classifier.js";
import {labelledByName, sampleLabelled} from "../components/math/labelled.js";
import {makeSchedule} from "../components/math/schedules.js";
import {rngFromSeed} from "../components/math/random.js";
import {DEFAULT_SCHEDULE} from "../components/model/defaults.js";
import {ddim} from "../components/samplers/ddim.js";
import {classYardstick, measureClass} from "../components/math/class-metrics.js";
import {exactClassifier, exactConditionalDenoiser} from "../components/math/classifier.js";
import {classifierGuided, conditioned} from "../components/samplers/guidance.js";
import {startNoise} from "../components/samplers/sampling-plan.js";

tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
tf.setWasmPaths(prepareNodeWasm());
await tf.setBackend("wasm");
const lm = labelledByName("ring-modes"), schedule = makeSchedule(DEFAULT_SCHEDULE.name, DEFAULT_SCHEDULE.T);
const {points, labels} = sampleLabelled(lm, 4000, rngFromSeed(77));
const net = new ClassifierNet(schedule, points, labels, {classes: 8, seed: 1});
for (let k = 0; k < Number(process.env.STEPS ?? 800) / 100; ++k) await net.train(100);
const unconditional = conditioned(exactConditionalDenoiser(lm, schedule), null), exact = exactClassifier(lm, schedule);
const ss = (process.env.SS ?? "1,4").split(",").map(Number), seeds = (process.env.SEEDS ?? "1").split(",").map(Number);
const classes = (process.env.CLASSES ?? "0,1,2,3,4,5,6,7").split(",").map(Number);
for (const s of ss) {
  const acc = {exact: [0, 0, 0], trained: [0, 0, 0]};
  let k = 0;
  for (const seed of seeds) for (const c of classes) {
    const y = classYardstick(lm, c, 500, 2000 + seed);
    for (const [key, classifier] of [["exact", exact], ["trained", net.asNoisyClassifier()]] as const) {
      const {x} = await ddim(classifierGuided(unconditional, classifier, schedule, {c, s}), schedule, startNoise(500, seed), {steps: schedule.T, eta: 0});
      const m = measureClass(lm, c, x, y);
      acc[key][0] += m.shares[c]; acc[key][1] += m.spread; acc[key][2] += m.outside;
    }
    k++;
  }
  const f = (a: number[]) => `${(100 * a[0] / k).toFixed(1)}% in class, spread ${(a[1] / k).toFixed(2)}, past ${(100 * a[2] / k).toFixed(1)}%`;
  console.log(`s ${s} | exact classifier ${f(acc.exact)} | trained ${f(acc.trained)}`);
}
net.dispose();
