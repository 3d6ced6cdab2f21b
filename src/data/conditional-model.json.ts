// The site's shipped conditional model: ε_θ(x_t, t, c) with label dropout, trained at build time on
// the 8 Gaussians with a class per mode, so /guidance shows the trained side of classifier-free
// guidance on first load. Cached in data/shipped-conditional-model/<key>.json like the shipped model
// (src/data/model.json.ts): any change to its recipe or to the code that shapes its weights
// retrains it; commit the new file it writes.
import {existsSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {ConditionalTrainer} from "../../components/model/conditional-trainer.js";
import {DEFAULT_CONFIG, DEFAULT_SCHEDULE} from "../../components/model/defaults.js";
import {makeSchedule} from "../../components/math/schedules.js";
import {labelledByName, sampleLabelled} from "../../components/math/labelled.js";
import {rngFromSeed} from "../../components/math/random.js";
import {encodeWeightsFile} from "../../components/model/weights.js";
import * as tf from "../../components/vendor/tfjs.js";
import {prepareNodeWasm} from "../../scripts/node-wasm.js";
import {SHIPPED_CONDITIONAL_MODEL as RECIPE} from "../../components/model/shipped-conditional-model.js";
import {shippedConditionalModelPath} from "../../components/model/shipped-model-key.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const cached = shippedConditionalModelPath(root);

if (!existsSync(cached)) {
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  tf.setWasmPaths(prepareNodeWasm());
  if (!(await tf.setBackend(RECIPE.backend))) throw new Error("the wasm backend did not start in Node");
  const lm = labelledByName(RECIPE.labelled);
  const {points, labels} = sampleLabelled(lm, RECIPE.n, rngFromSeed(RECIPE.dataSeed));
  const trainer = new ConditionalTrainer({
    data: points, labels, classes: lm.classes.length, pUncond: RECIPE.pUncond,
    schedule: makeSchedule(DEFAULT_SCHEDULE.name, DEFAULT_SCHEDULE.T),
    config: {...DEFAULT_CONFIG, ...RECIPE.config},
    seed: RECIPE.seed,
  });
  while (trainer.stepCount < RECIPE.steps) {
    const result = await trainer.runChunk(Math.min(100, RECIPE.steps - trainer.stepCount));
    if (result.diverged) throw new Error(`the shipped conditional model diverged: ${result.diverged}`);
  }
  mkdirSync(`${root}data/shipped-conditional-model`, {recursive: true});
  writeFileSync(cached, encodeWeightsFile({...trainer.weightsFile(), dataset: "ring"}));
  trainer.dispose();
  process.stderr.write(`trained the shipped conditional model: ${cached} (commit it)\n`);
}
process.stdout.write(readFileSync(cached, "utf8"));
