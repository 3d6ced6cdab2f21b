// The shipped model (data/shipped-model/, trained by src/data/model.json.ts) is current and good.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import {existsSync, readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {shippedModelPath} from "../../components/model/shipped-model-key.js";
import {Trainer} from "../../components/model/trainer.js";
import {parseWeightsFile} from "../../components/model/weights.js";
import {sampleDataset} from "../../components/math/datasets.js";
import {rngFromSeed} from "../../components/math/random.js";
import {qualityYardstick} from "../../components/math/metrics.js";
import {ddim} from "../../components/samplers/ddim.js";
import {initBackend} from "../../components/model/backend.js";
import {SHIPPED_MODEL} from "../../components/model/shipped-model.js";

const path = shippedModelPath(fileURLToPath(new URL("../../", import.meta.url)));

describe("the shipped model", () => {
  it("is cached for the current recipe and training code (else `npm run build` retrains it: commit the file)", () => {
    assert.ok(existsSync(path), `missing ${path}`);
  });

  it("records the data set it was trained on", () => {
    assert.equal(parseWeightsFile(readFileSync(path, "utf8")).dataset, SHIPPED_MODEL.dataset);
  });

  it("samples the 8-Gaussian data within 2× the data-vs-data distance of the time-to-quality yardstick (DDIM, 50 steps)", async () => {
    await initBackend("cpu");
    const trainer = Trainer.fromFile(parseWeightsFile(readFileSync(path, "utf8")), sampleDataset("ring", 100, rngFromSeed(1)));
    const yardstick = qualityYardstick((n, rng) => sampleDataset(SHIPPED_MODEL.dataset, n, rng));
    const {x} = await ddim(trainer.denoiser("ema"), trainer.schedule, {n: yardstick.held.length / 2}, {steps: 50, eta: 0, rng: rngFromSeed(3)});
    trainer.dispose();
    // The reference is itself noisy at n = 2,000 (one pair's SW varies ~2×), so 2× is the margin.
    const distance = yardstick.distance(x);
    assert.ok(distance < 2 * yardstick.reference, `model ${distance.toFixed(4)} vs data-vs-data ${yardstick.reference.toFixed(4)}`);
  });
});
