// The latent chapter's weights file: half-precision values round-trip within half precision, and
// a malformed file is refused with a message saying what is wrong.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {encodeLatentWeights, fromHalf, parseLatentWeights, toHalf, NETWORKS} from "../../components/model/latent/weights-file.js";
import {DEFAULT_RECIPE} from "../../components/model/latent/recipe.js";
import {fillNormal, rngFromSeed} from "../../components/math/random.js";

const sizes = () => ({autoencoder: 7, latent: 5, pixel: 3, classifier: 2});

describe("half-precision floats", () => {
  it("match IEEE binary16 at known values (1, −2, 65504, 2⁻¹⁴, 2⁻²⁴, ∞, NaN)", () => {
    assert.equal(toHalf(1), 0x3c00);
    assert.equal(toHalf(-2), 0xc000);
    assert.equal(toHalf(65504), 0x7bff);
    assert.equal(toHalf(70000), 0x7c00);
    assert.equal(toHalf(2 ** -14), 0x0400);
    assert.equal(toHalf(2 ** -24), 0x0001);
    assert.equal(fromHalf(0x3555), 0.333251953125);
    assert.equal(fromHalf(toHalf(Infinity)), Infinity);
    assert.ok(Number.isNaN(fromHalf(toHalf(NaN))));
  });

  it("round-trip normal values within a relative 2⁻¹¹ (round to nearest)", () => {
    const x = fillNormal(new Float64Array(5000), rngFromSeed(1));
    for (const v of x) {
      const back = fromHalf(toHalf(v));
      assert.ok(Math.abs(back - v) <= Math.abs(v) * 2 ** -11 + 2 ** -25, `${v} → ${back}`);
    }
  });
});

describe("latent weights file", () => {
  const weights = Object.fromEntries(NETWORKS.map((n) => [n, Float32Array.from({length: sizes()[n]}, (_, i) => i / 4 - 0.5)])) as Record<(typeof NETWORKS)[number], Float32Array>;
  const file = {recipe: DEFAULT_RECIPE, scale: 0.5, weights, steps: {autoencoder: 1, latent: 2, pixel: 3, classifier: 4}, measured: {note: "x"}};

  it("round-trips (values exact when representable in half precision)", () => {
    const back = parseLatentWeights(encodeLatentWeights(file), sizes);
    assert.deepEqual(back.weights, weights);
    assert.equal(back.scale, 0.5);
    assert.deepEqual(back.steps, file.steps);
    assert.deepEqual(back.measured, {note: "x"});
  });

  it("refuses a wrong format, a wrong size and a bad scale, saying which", () => {
    const text = encodeLatentWeights(file);
    assert.throws(() => parseLatentWeights("{", sizes), /not valid JSON/);
    assert.throws(() => parseLatentWeights(JSON.stringify({format: "other"}), sizes), /no "format": "diffusion-lab-latent" marker/);
    assert.throws(() => parseLatentWeights(text, () => ({...sizes(), latent: 6})), /the latent has 5 weights; its recipe needs 6/);
    assert.throws(() => parseLatentWeights(text.replace('"scale":0.5', '"scale":-1'), sizes), /latent scale -1 is not a positive number/);
  });
});
