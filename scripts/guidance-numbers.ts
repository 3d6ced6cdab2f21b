// What guidance buys and costs, exact against trained: the shipped conditional model and the exact
// labelled mixture sampled by classifier-free guided DDIM (every timestep, the same starting noise),
// measured per class (in-class fraction, spread ÷ the class's own, fraction past the class's 99%
// region) and averaged. `npx tsx scripts/guidance-numbers.ts` (env: WS=0,1,3 SEEDS=1,2 CLASSES=0,1,…;
// wasm backend in Node). Prints one line per w.
import {prepareNodeWasm} from "./node-wasm.js";
import * as tf from "../components/vendor/tfjs.js";
import {readFileSync} from "node:fs";
import {ConditionalTrainer} from "../components/model/conditional-trainer.js";
import {labelledByName, sampleLabelled} from "../components/math/labelled.js";
import {rngFromSeed} from "../components/math/random.js";
import {parseWeightsFile} from "../components/model/weights.js";
import {ddim} from "../components/samplers/ddim.js";
import {classYardstick, measureClass} from "../components/math/class-metrics.js";
import {exactConditionalDenoiser} from "../components/math/classifier.js";
import {classifierFree} from "../components/samplers/guidance.js";
import {startNoise} from "../components/samplers/sampling-plan.js";
import {shippedConditionalModelPath} from "../components/model/shipped-model-key.js";
tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
tf.setWasmPaths(prepareNodeWasm());
await tf.setBackend("wasm");
const lm = labelledByName("ring-modes");
const {points, labels} = sampleLabelled(lm, 100, rngFromSeed(1));
const trainer = ConditionalTrainer.fromLabelledFile(parseWeightsFile(readFileSync(shippedConditionalModelPath(process.cwd() + "/"), "utf8")), points, labels);
const exact = exactConditionalDenoiser(lm, trainer.schedule);
const ws = (process.env.WS ?? "0,1,3,5,10").split(",").map(Number);
const seeds = (process.env.SEEDS ?? "1").split(",").map(Number);
const classes = (process.env.CLASSES ?? "0,1,2,3,4,5,6,7").split(",").map(Number);
for (const w of ws) {
  const acc = {e: [0, 0, 0], t: [0, 0, 0]}; let k = 0;
  for (const seed of seeds) for (const c of classes) {
    const y = classYardstick(lm, c, 500, 2000 + seed);
    const opts = {steps: trainer.schedule.T, eta: 0};
    const xt = await ddim(trainer.guided({c, w}), trainer.schedule, startNoise(500, seed), opts);
    const xe = await ddim(classifierFree(exact, {c, w}), trainer.schedule, startNoise(500, seed), opts);
    for (const [key, x] of [["t", xt.x], ["e", xe.x]] as const) { const m = measureClass(lm, c, x, y); acc[key][0] += m.shares[c]; acc[key][1] += m.spread; acc[key][2] += m.outside; }
    k++;
  }
  const f = (a: number[]) => `${(100 * a[0] / k).toFixed(1)}% spread ${(a[1] / k).toFixed(2)} past ${(100 * a[2] / k).toFixed(1)}%`;
  console.log("w", w, "| exact", f(acc.e), "| trained", f(acc.t));
}
