// The KL autoencoder learns: after a short seeded run its reconstructions are clearly better than the
// best constant image, and its latents come out near unit scale once the scale factor is applied.
import assert from "node:assert/strict";
import {before, describe, it} from "node:test";
import {useNodeWasm} from "../../components/model/latent/node-wasm.js";
import {Autoencoder} from "../../components/model/latent/autoencoder.js";
import {DEFAULT_RECIPE} from "../../components/model/latent/recipe.js";
import * as tf from "../../components/vendor/tfjs.js";
import {sampleImages, IMAGE_SIZE} from "../../components/math/toy-images.js";
import {patchify} from "../../components/math/patches.js";
import {rngFromSeed} from "../../components/math/random.js";

const STEPS = 200;

describe("the KL autoencoder", () => {
  before(useNodeWasm);

  it(`reconstructs unseen images with MSE below half the best constant image's after ${STEPS} steps (EMA weights, which still lag the raw ones this early), tensors flat`, async () => {
    const r = DEFAULT_RECIPE.autoencoder;
    const train = sampleImages(1000, rngFromSeed(1)), test = sampleImages(128, rngFromSeed(2), {heldOut: "include"});
    const ae = new Autoencoder({net: r.net, plan: {...r.train, steps: STEPS, warmupSteps: 20}, klWeight: r.klWeight, seed: 1, data: patchify(train.pixels, r.patch)});
    await ae.runChunk(10);
    const tensors = tf.memory().numTensors;
    while (ae.stepCount < STEPS) assert.equal((await ae.runChunk(38)).diverged, null);
    assert.equal(tf.memory().numTensors, tensors, "tensors grew while training");
    // The best constant image is the per-value mean; its MSE is the test set's variance per value.
    const mean = new Float64Array(IMAGE_SIZE);
    for (let i = 0; i < test.pixels.length; ++i) mean[i % IMAGE_SIZE] += test.pixels[i] / test.n;
    let constant = 0;
    for (let i = 0; i < test.pixels.length; ++i) constant += (test.pixels[i] - mean[i % IMAGE_SIZE]) ** 2 / test.pixels.length;
    const mse = await ae.reconstructionError(patchify(test.pixels, r.patch));
    assert.ok(mse < constant / 2, `reconstruction MSE ${mse.toFixed(5)} vs constant image ${constant.toFixed(5)}`);
    const scale = await ae.measureScale(patchify(train.pixels, r.patch));
    const z = await ae.encodeScaled(patchify(test.pixels, r.patch));
    const sd = Math.sqrt(z.reduce((s, v) => s + v * v, 0) / z.length);
    assert.ok(scale > 0 && Math.abs(sd - 1) < 0.2, `scaled latents have RMS ${sd.toFixed(3)} (scale ${scale.toFixed(3)})`);
    ae.dispose();
  });
});
