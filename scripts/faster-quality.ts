// Quality against NFE of every fast-sampling method on the shipped teacher, averaged over seeds:
//   npx tsx scripts/faster-quality.ts --seeds 1,2,3 [--pd-steps 300] [--cm-steps 600] [--rf-steps 800] [--methods "DDIM;Rectified flow"]
// Runs tfjs's wasm backend in Node (the site's binary); prints a markdown table of SW₂ to held-out data.
import {readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {prepareNodeWasm} from "./node-wasm.js";
import * as tf from "../components/vendor/tfjs.js";
import {shippedModelPath} from "../components/model/shipped-model-key.js";
import {parseWeightsFile} from "../components/model/weights.js";
import {makeSchedule} from "../components/math/schedules.js";
import {qualityYardstick} from "../components/math/metrics.js";
import {sampleDataset} from "../components/math/datasets.js";
import {runFasterSuite, type SuiteOptions} from "../components/model/faster-suite.js";

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const seeds = arg("seeds", "1,2,3").split(",").map(Number);
const options: Partial<SuiteOptions> = {pdSteps: Number(arg("pd-steps", "300")), cmSteps: Number(arg("cm-steps", "600")), rfSteps: Number(arg("rf-steps", "800"))};
const methods = arg("methods", "");
if (methods) options.methods = methods.split(";") as SuiteOptions["methods"];

tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
tf.setWasmPaths(prepareNodeWasm());
await tf.setBackend("wasm");
const file = parseWeightsFile(readFileSync(shippedModelPath(fileURLToPath(new URL("../", import.meta.url))), "utf8"));
const schedule = makeSchedule(file.schedule.name, file.schedule.T);

const table = new Map<string, number[]>();
for (const seed of seeds) {
  const t0 = performance.now();
  for await (const event of runFasterSuite(file, schedule, {...options, seed})) {
    if (event.type === "quality") {
      const key = `${event.method}\t${event.nfe}`;
      table.set(key, [...(table.get(key) ?? []), event.sw]);
    } else if (event.type === "round-end") {
      process.stderr.write(`seed ${seed} ${event.method}: loss ${event.firstLoss.toFixed(4)} → ${event.lastLoss.toFixed(4)} in ${event.steps} steps, ${(event.ms / 1000).toFixed(1)} s\n`);
    } else if (event.type === "curvature") {
      process.stderr.write(`seed ${seed} curvature ${event.method}: ${event.value.toFixed(4)}\n`);
    }
  }
  process.stderr.write(`seed ${seed} done in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
}
const floor = qualityYardstick((n, rng) => sampleDataset(file.dataset && file.dataset !== "drawn" ? file.dataset : "ring", n, rng)).reference;
console.log(`data-vs-data floor (SW₂ between two draws of 2,000 data points): ${floor.toFixed(4)}\n`);
console.log("| method | NFE | SW₂ mean | per seed |\n|---|---|---|---|");
for (const [key, values] of table) {
  const [method, nfe] = key.split("\t");
  console.log(`| ${method} | ${nfe} | ${(values.reduce((a, b) => a + b, 0) / values.length).toFixed(4)} | ${values.map((v) => v.toFixed(4)).join(" ")} |`);
}
