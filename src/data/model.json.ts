// The site's shipped model: the default denoiser trained at build time on the default data set, so
// chapters that need a trained model show results before the reader trains anything.
//
// Training on tfjs's CPU backend in Node takes minutes on a busy 2-core machine, so the result is
// cached in data/shipped-model/<key>.json, where the key hashes the recipe (SHIPPED_MODEL, the
// default config and schedule) and the source of every module that shapes the weights. Any change
// to either misses the cache and retrains (seeded, so the same recipe gives the same weights);
// commit the new file it writes.
import {existsSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {Trainer} from "../../components/model/trainer.js";
import {DEFAULT_CONFIG, DEFAULT_SCHEDULE} from "../../components/model/defaults.js";
import {makeSchedule} from "../../components/math/schedules.js";
import {sampleDataset} from "../../components/math/datasets.js";
import {rngFromSeed} from "../../components/math/random.js";
import {encodeWeightsFile} from "../../components/model/weights.js";
import {initBackend} from "../../components/model/backend.js";
import {SHIPPED_MODEL} from "../../components/model/shipped-model.js";
import {shippedModelPath} from "../../components/model/shipped-model-key.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const cached = shippedModelPath(root);

if (!existsSync(cached)) {
  await initBackend("cpu");
  const trainer = new Trainer({
    data: sampleDataset(SHIPPED_MODEL.dataset, SHIPPED_MODEL.n, rngFromSeed(SHIPPED_MODEL.dataSeed)),
    schedule: makeSchedule(DEFAULT_SCHEDULE.name, DEFAULT_SCHEDULE.T),
    config: DEFAULT_CONFIG,
    seed: SHIPPED_MODEL.seed,
  });
  while (trainer.stepCount < SHIPPED_MODEL.steps) {
    const result = await trainer.runChunk(Math.min(100, SHIPPED_MODEL.steps - trainer.stepCount));
    if (result.diverged) throw new Error(`the shipped model diverged: ${result.diverged}`);
  }
  mkdirSync(`${root}data/shipped-model`, {recursive: true});
  writeFileSync(cached, encodeWeightsFile({...trainer.weightsFile(), dataset: SHIPPED_MODEL.dataset}));
  trainer.dispose();
  process.stderr.write(`trained the shipped model: ${cached} (commit it)\n`);
}
process.stdout.write(readFileSync(cached, "utf8"));
