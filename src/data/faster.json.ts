// /faster's instant start: every method of the chapter run once at build time on the shipped teacher
// (runFasterSuite, seed 1, tfjs's wasm backend in Node), so the page shows students, their losses, the
// quality chart and the curvature before the reader trains anything. ~1 minute on an idle 2-core
// machine (2.5 under load). Samples are cut to 1,000 points and losses to one value per chunk to keep
// the file small; wall times are left out: they belong to the reader's browser, measured live.
// The result is cached (git-ignored) in .cache/faster/<key>.json, the key hashing the shipped model
// and the code of the suite, so a build reruns it only when either changed.
import {createHash} from "node:crypto";
import {existsSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {prepareNodeWasm} from "../../scripts/node-wasm.js";
import * as tf from "../../components/vendor/tfjs.js";
import {shippedModelPath} from "../../components/model/shipped-model-key.js";
import {parseWeightsFile} from "../../components/model/weights.js";
import {runFasterSuite} from "../../components/model/faster-suite.js";
import {makeSchedule} from "../../components/math/schedules.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const teacherPath = shippedModelPath(root);
const sources = ["model/distill", "model/faster-suite", "model/faster-config", "model/device-sampler", "model/shared-time", "math/flow", "math/metrics", "samplers/dpm-solver", "samplers/ddim", "samplers/ddpm", "samplers/grid", "src/data/faster.json"]
  .map((name) => readFileSync(name.startsWith("src/") ? `${root}${name}.ts` : `${root}components/${name}.ts`, "utf8"));
const key = createHash("sha256").update(JSON.stringify([readFileSync(teacherPath, "utf8"), sources])).digest("hex").slice(0, 16);
const cached = `${root}.cache/faster/${key}.json`;
process.stdout.write(existsSync(cached) ? readFileSync(cached, "utf8") : await runOnce());

/** The suite run on the shipped teacher, as the page reads it; also written to the cache. */
async function runOnce(): Promise<string> {
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  tf.setWasmPaths(prepareNodeWasm());
  await tf.setBackend("wasm");
  const file = parseWeightsFile(readFileSync(teacherPath, "utf8"));
  const events: unknown[] = [];
  const round = (v: number) => Math.round(v * 1e3) / 1e3;
  for await (const e of runFasterSuite(file, makeSchedule(file.schedule.name, file.schedule.T), {seed: 1})) {
    if (e.type === "progress") events.push({type: e.type, method: e.method, round: e.round, step: e.step, steps: e.steps, loss: e.loss});
    else if (e.type === "quality") events.push({...e, ms: NaN, x: Array.from(e.x.subarray(0, 2000), round)});
    else if (e.type === "paths") events.push({...e, path: e.path.map((x) => Array.from(x, round))});
    else if (e.type === "field") events.push({...e, velocity: e.velocity.map((v) => Array.from(v, round))});
    else events.push(e);
  }
  const text = JSON.stringify({seed: 1, events});
  mkdirSync(`${root}.cache/faster`, {recursive: true});
  writeFileSync(cached, text);
  return text;
}
