// The latent chapter's shipped weights (data/latent-model/, trained by src/data/latent-model.json.ts)
// are current, and their latent model follows prompts: prompt accuracy ≥ 80 % on training
// combinations with guidance, measured here by the shipped classifier; and guidance at w = 0 is
// the conditional model itself.
import assert from "node:assert/strict";
import {after, before, describe, it} from "node:test";
import {existsSync, readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {useNodeWasm} from "../../components/model/latent/node-wasm.js";
import {latentModelPath} from "../../components/model/latent/shipped-key.js";
import {parseLatentWeights} from "../../components/model/latent/weights-file.js";
import {LatentPipeline, networkSizes} from "../../components/model/latent/pipeline.js";
import {generate} from "../../components/model/latent/generate.js";
import {meanAttributeAccuracy} from "../../components/math/image-metrics.js";
import {ddim} from "../../components/samplers/ddim.js";
import {idsOf} from "../../components/math/tokenizer.js";
import {rngFromSeed} from "../../components/math/random.js";

const path = latentModelPath(fileURLToPath(new URL("../../", import.meta.url)));

describe("the shipped latent-diffusion models", () => {
  let pipeline: LatentPipeline;
  before(async () => {
    await useNodeWasm();
    if (existsSync(path)) pipeline = LatentPipeline.fromWeights(parseLatentWeights(readFileSync(path, "utf8"), networkSizes));
  });
  after(() => pipeline?.dispose());

  it("are cached for the current recipe and training code (else `npm run build` retrains them: commit the file)", () => {
    assert.ok(existsSync(path), `missing ${path}`);
  });

  it("follow prompts: mean per-attribute accuracy ≥ 80 % on training combinations with guidance w = 3 (40 prompts × 4 images, as the page quotes, on fresh noise)", async () => {
    const e = await pipeline.evaluate("latent", 3, {prompts: 40, perPrompt: 4, seed: 21});
    const train = meanAttributeAccuracy(e.train);
    assert.ok(train >= 0.8, `prompt accuracy ${train.toFixed(3)} on training combinations; held-out ${meanAttributeAccuracy(e.heldOut).toFixed(3)}`);
  });

  it("sample at w = 0 exactly as the conditional denoiser alone", async () => {
    const caption = idsOf(["large", "green", "cross", "right"]);
    const captions = [caption, caption, caption];
    const guided = await generate(pipeline.latent, captions, {steps: 8, guidance: 0, seed: 3});
    const conditional = {d: pipeline.latent.d, eps: async (x: Float64Array, t: number) => (await pipeline.latent.predict(x, t, captions)).eps};
    const plain = await ddim(conditional, pipeline.schedule, {n: 3}, {steps: 8, eta: 0, spacing: "trailing", rng: rngFromSeed(3)});
    assert.deepEqual(guided.x, plain.x);
  });
});
