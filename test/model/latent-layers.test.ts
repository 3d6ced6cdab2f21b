// The latent chapter's layers: hand-written gradients agree with tfjs's autodiff of the same
// formulas, attention weights are a distribution over the caption's tokens with padding at zero,
// the text encoder ignores word order, θ's named views are its own stretches, and a sampling run's
// cached conditioning changes no prediction.
import assert from "node:assert/strict";
import {before, describe, it} from "node:test";
import * as tf from "../../components/vendor/tfjs.js";
import {useNodeWasm} from "../../components/model/latent/node-wasm.js";
import {affine, layerNorm2d, addPerItem, addPerToken} from "../../components/model/latent/fast-ops.js";
import {attention, attentionSpecs, crossKeys, initialValues} from "../../components/model/latent/layers.js";
import {encodeText, textEncoderSpecs} from "../../components/model/latent/text-encoder.js";
import {captionTensors, EMPTY_CAPTION, TextDiffusion} from "../../components/model/latent/diffusion.js";
import {denoiserSpecs} from "../../components/model/latent/denoiser-net.js";
import {ParamSet} from "../../components/model/latent/param-set.js";
import {DEFAULT_RECIPE} from "../../components/model/latent/recipe.js";
import {makeSchedule} from "../../components/math/schedules.js";
import {idsOf, MAX_TOKENS, VOCAB} from "../../components/math/tokenizer.js";
import {rngFromSeed} from "../../components/math/random.js";

const close = async (a: tf.Tensor, b: tf.Tensor, tol: number, what: string) => {
  const [x, y] = await Promise.all([a.data(), b.data()]);
  assert.equal(x.length, y.length, what);
  let worst = 0;
  for (let i = 0; i < x.length; ++i) worst = Math.max(worst, Math.abs(x[i] - y[i]) / (1 + Math.abs(y[i])));
  assert.ok(worst < tol, `${what}: relative difference ${worst}`);
};

/** Gradients of sum(f(...)·r) for a fixed random r, by tf.grads. */
const gradsOf = (f: (...x: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], r: tf.Tensor) => tf.grads((...x: tf.Tensor[]) => tf.sum(tf.mul(f(...x), r)))(inputs);

describe("fast-ops gradients equal tfjs's autodiff of the plain formula (wasm)", () => {
  before(useNodeWasm);
  const n = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, "float32", seed);

  it("affine: x·W + b", async () => {
    const [x, w, b, r] = [n([37, 6], 1), n([6, 5], 2), n([5], 3), n([37, 5], 4)];
    const fast = gradsOf((x, w, b) => affine(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D), [x, w, b], r);
    const plain = gradsOf((x, w, b) => tf.add(tf.matMul(x, w), b), [x, w, b], r);
    for (let i = 0; i < 3; ++i) await close(fast[i], plain[i], 1e-5, ["∂x", "∂W", "∂b"][i]);
    await close(affine(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D), tf.add(tf.matMul(x, w), b), 1e-6, "value");
  });

  it("layer norm over the last axis", async () => {
    const [x, g, b, r] = [n([29, 8], 5), n([8], 6), n([8], 7), n([29, 8], 8)];
    const plainNorm = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const {mean, variance} = tf.moments(x, -1, true);
      return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
    };
    const fast = gradsOf((x, g, b) => layerNorm2d(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D), [x, g, b], r);
    const plain = gradsOf(plainNorm, [x, g, b], r);
    for (let i = 0; i < 3; ++i) await close(fast[i], plain[i], 1e-4, ["∂x", "∂g", "∂b"][i]);
    await close(layerNorm2d(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D), plainNorm(x, g, b), 1e-5, "value");
  });

  it("broadcast adds per item and per token", async () => {
    const [x, v, s, r] = [n([3, 4, 5], 9), n([4, 5], 10), n([3, 5], 11), n([3, 4, 5], 12)];
    const a = gradsOf((x, v) => addPerItem(x as tf.Tensor3D, v as tf.Tensor2D), [x, v], r), a0 = gradsOf((x, v) => tf.add(x, v), [x, v], r);
    const b = gradsOf((x, s) => addPerToken(x as tf.Tensor3D, s as tf.Tensor2D), [x, s], r), b0 = gradsOf((x, s) => tf.add(x, tf.expandDims(s, 1)), [x, s], r);
    for (let i = 0; i < 2; ++i) { await close(a[i], a0[i], 1e-5, `per item ${i}`); await close(b[i], b0[i], 1e-5, `per token ${i}`); }
  });
});

describe("cross-attention", () => {
  before(useNodeWasm);

  it("weights sum to 1 over the tokens for every cell, and padding gets exactly 0", async () => {
    const specs = attentionSpecs("x", 8, {contextDim: 8});
    const values = initialValues(specs, rngFromSeed(1));
    const p = Object.fromEntries(specs.map((s, i) => [s.name, tf.tensor(values[i], s.shape)]));
    const captions = [idsOf(["red"]), idsOf(["small", "blue", "ring", "top"]), idsOf([])];
    const {mask} = captionTensors(captions);
    const B = captions.length;
    const {weights} = attention(p, "x", tf.randomNormal([B, 16, 8], 0, 1, "float32", 2) as tf.Tensor3D, crossKeys(p, "x", tf.randomNormal([B, MAX_TOKENS, 8], 0, 1, "float32", 3) as tf.Tensor3D), tf.tensor3d(mask, [B, 1, MAX_TOKENS]), 2);
    const a = await weights.data(); // [B, heads, 16, L]
    for (let row = 0; row < B * 2 * 16; ++row) {
      const b = Math.floor(row / 32);
      let sum = 0;
      for (let j = 0; j < MAX_TOKENS; ++j) {
        const v = a[row * MAX_TOKENS + j];
        if (captions[b][j] === 0) assert.equal(v, 0, `padding token ${j} of caption ${b} got weight ${v}`);
        sum += v;
      }
      assert.ok(Math.abs(sum - 1) < 1e-6, `row ${row} sums to ${sum}`);
    }
  });
});

describe("text encoder", () => {
  before(useNodeWasm);

  it("encodes the same words in any order to the same per-word features", async () => {
    const c = {vocab: VOCAB, maxTokens: MAX_TOKENS, width: 8, heads: 1, selfAttention: true};
    const specs = textEncoderSpecs(c);
    const values = initialValues(specs, rngFromSeed(2));
    const p = Object.fromEntries(specs.map((s, i) => [s.name, tf.tensor(values[i], s.shape)]));
    const {ids, mask} = captionTensors([idsOf(["red", "circle", "left"]), idsOf(["left", "red", "circle"])]);
    const e = await encodeText(p, c, tf.tensor2d(ids, [2, MAX_TOKENS], "int32"), tf.tensor3d(mask, [2, 1, MAX_TOKENS])).array();
    // Token 1 ("red") of the first caption is token 2 of the second; "left" moved from 3 to 1.
    for (const [i, j] of [[0, 0], [1, 2], [2, 3], [3, 1]]) e[0][i].forEach((v, k) => assert.ok(Math.abs(v - e[1][j][k]) < 1e-5, `token ${i} vs ${j}`));
  });
});

describe("parameters and sampling runs", () => {
  before(useNodeWasm);
  const recipe = DEFAULT_RECIPE.latent;
  const schedule = makeSchedule("cosine", 1000);

  it("every named view of θ (split in groups) holds its own stretch of the flat vector, in spec order", async () => {
    const specs = denoiserSpecs(recipe.net);
    const flat = Float32Array.from({length: specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0)}, (_, i) => i);
    const set = ParamSet.fromWeights(specs, flat);
    const views = tf.tidy(() => {
      const p = set.params();
      return tf.concat(specs.map((s) => tf.reshape(p[s.name], [-1])));
    });
    assert.equal(specs.length > 40, true, "the latent denoiser has many parameter tensors (the case the groups are for)");
    assert.deepEqual(await views.data(), flat);
    views.dispose();
    set.dispose();
  });

  it("a sampling run's evaluations (conditioning computed once) equal one-shot predictions at every step, and free every tensor", async () => {
    const model = new TextDiffusion({recipe, schedule, seed: 4});
    const captions = [idsOf(["small", "red", "circle"]), EMPTY_CAPTION, idsOf(["ring", "top"])];
    const d = model.d, xt = Float64Array.from({length: captions.length * d}, (_, i) => Math.sin(i));
    const start = tf.memory().numTensors;
    const together: Float64Array[] = [];
    await model.withCaptions(captions, async (predict) => {
      for (const t of [999, 500, 3]) together.push((await predict(xt, t)).eps);
    });
    assert.equal(tf.memory().numTensors, start, "tensors back to their start after the run");
    for (const [k, t] of [999, 500, 3].entries()) assert.deepEqual(together[k], (await model.predict(xt, t, captions)).eps, `step t = ${t}`);
    model.dispose();
  });
});
