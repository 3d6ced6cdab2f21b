import assert from "node:assert/strict";
import {before, describe, it} from "node:test";
import * as tf from "../../components/vendor/tfjs.js";
import {availableBackends, initBackend, onBackendLost, selfCheck} from "../../components/model/backend.js";
import {MLPDenoiser, epsFromOutput, initialWeights, targetFor, x0FromOutput} from "../../components/model/denoiser.js";
import {fourierMatrix, paramSpecs, type Activation, type DenoiserConfig} from "../../components/model/denoiser-config.js";
import {TimeEmbedding, sinusoidalTable} from "../../components/model/embedding.js";
import {networkDenoiser} from "../../components/model/network-denoiser.js";
import {rngFromSeed} from "../../components/math/random.js";
import {alphaBarAt, makeSchedule} from "../../components/math/schedules.js";
import {maxAbsDiff} from "../arrays.js";

before(async () => {
  await tf.setBackend("cpu");
});


describe("backend", () => {
  it("in Node only cpu is available, and initBackend falls back to it from any preference", async () => {
    assert.deepEqual(availableBackends(), ["cpu"]);
    const skipped: string[] = [];
    assert.equal(await initBackend("webgl", {onSkip: (name) => skipped.push(name)}), "cpu");
    assert.deepEqual(skipped, ["webgl", "webgpu", "wasm"]);
    assert.equal(tf.getBackend(), "cpu");
  });

  it("selfCheck passes on cpu; onBackendLost is a no-op there", async () => {
    assert.equal(await selfCheck(), null);
    const off = onBackendLost(() => assert.fail("cpu cannot be lost"));
    off();
  });

  it("initBackend throws a readable error when every backend is excluded", async () => {
    await assert.rejects(initBackend(undefined, {exclude: ["cpu"]}), /No TensorFlow.js backend works here.*cpu: excluded/);
    assert.equal(tf.getBackend(), "cpu");
  });
});

describe("sinusoidalTable / TimeEmbedding", () => {
  it("gather returns rows equal to sin/cos computed directly in JS (to float32 rounding)", async () => {
    const T = 200, dim = 16, scale = 5;
    const emb = new TimeEmbedding({T, dim, scale});
    const ts = [0, 1, 37, 150, 199];
    const rows = tf.tidy(() => emb.gather(tf.tensor1d(ts, "int32")));
    const got = await rows.data();
    rows.dispose();
    const expected: number[] = [];
    for (const t of ts) {
      const sin: number[] = [], cos: number[] = [];
      for (let i = 0; i < dim / 2; ++i) {
        const arg = scale * t * Math.exp((-Math.log(10000) * i) / (dim / 2));
        sin.push(Math.sin(arg));
        cos.push(Math.cos(arg));
      }
      expected.push(...sin, ...cos);
    }
    assert.ok(maxAbsDiff(got, expected) < 1e-6, `max diff ${maxAbsDiff(got, expected)}`);
    emb.dispose();
  });

  it("atFractional(t) is the linear interpolation of rows ⌊t⌋ and ⌊t⌋+1, broadcast to n rows", async () => {
    const T = 50, dim = 8;
    const table = sinusoidalTable({T, dim, scale: 20});
    const emb = new TimeEmbedding({T, dim, scale: 20});
    for (const t of [0, 12.25, 48.5, 49]) {
      const x = emb.atFractional(t, 3);
      const got = await x.data();
      x.dispose();
      const lo = Math.floor(t), hi = Math.min(lo + 1, T - 1), w = t - lo;
      const row = Array.from({length: dim}, (_, i) => (1 - w) * table[lo * dim + i] + w * table[hi * dim + i]);
      assert.ok(maxAbsDiff(got, [...row, ...row, ...row]) < 1e-6, `t = ${t}`);
    }
    assert.throws(() => emb.atFractional(49.5, 1), /t must lie in \[0, 49\]/);
    emb.dispose();
  });
});

/** The same MLP in Float64 JS: the reference for the forward pass and, by finite differences, the gradients. */
function jsForward(c: DenoiserConfig, w: Float64Array[], x: number[][], e: number[][]): number[][] {
  const act = (z: number): number => {
    switch (c.activation) {
      case "relu": return Math.max(0, z);
      case "silu": return z / (1 + Math.exp(-z));
      case "elu": return z > 0 ? z : Math.expm1(z);
      case "tanh": return Math.tanh(z);
      case "gelu": return 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z ** 3)));
    }
  };
  const F = c.fourierFeatures ?? 0, B = fourierMatrix(c);
  return x.map((xi, r) => {
    const phase = Array.from({length: F}, (_, f) => 2 * Math.PI * xi.reduce((s, v, j) => s + v * B[j * F + f], 0));
    let a = [...xi, ...phase.map(Math.sin), ...phase.map(Math.cos), ...e[r]];
    for (let k = 0; k <= c.depth; ++k) {
      const W = w[2 * k], b = w[2 * k + 1], out = b.length;
      const z = Array.from({length: out}, (_, j) => a.reduce((s, ai, i) => s + ai * W[i * out + j], b[j]));
      if (k === c.depth) return z;
      const h = z.map(act);
      a = c.timeInput === "every-layer" ? [...h, ...e[r]] : h;
    }
    throw new Error("unreachable");
  });
}

describe("MLPDenoiser", () => {
  const base: DenoiserConfig = {d: 2, width: 6, depth: 2, activation: "relu", prediction: "eps", T: 10, embedDim: 4, timeInput: "input"};

  it("creates only its variables and table (no leaked initialisers) and frees them on dispose", () => {
    const start = tf.memory().numTensors;
    const m = new MLPDenoiser(base, initialWeights(base, rngFromSeed(1)));
    assert.equal(tf.memory().numTensors - start, paramSpecs(base).length + 1);
    m.dispose();
    assert.equal(tf.memory().numTensors, start);
  });

  const cases: [Activation, DenoiserConfig["timeInput"], number][] = [
    ["relu", "input", 0], ["silu", "input", 0], ["gelu", "every-layer", 0], ["elu", "every-layer", 0], ["tanh", "input", 0], ["relu", "input", 3],
  ];
  for (const [activation, timeInput, fourierFeatures] of cases) {
    it(`${activation}/${timeInput}/${fourierFeatures} Fourier features: forward and the fused forwardWithCache match a Float64 JS MLP, and backward matches its finite differences`, async () => {
      const config = {...base, activation, timeInput, fourierFeatures, fourierScale: 0.7};
      const rng = rngFromSeed(7);
      // Non-zero output layer and biases, so every gradient is exercised.
      const weights = initialWeights(config, rng).map((w) => w.map((v) => v + 0.3 * (2 * rng() - 1)));
      const model = new MLPDenoiser(config, weights);
      const n = 5;
      const x = Array.from({length: n}, () => [2 * rng() - 1, 2 * rng() - 1]);
      const e = Array.from({length: n}, () => Array.from({length: config.embedDim}, () => 2 * rng() - 1));
      const R = Array.from({length: n}, () => [2 * rng() - 1, 2 * rng() - 1]);
      // L = Σ out ⊙ R, so ∂L/∂out = R.
      const [out, grads] = tf.tidy(() => {
        const cache = model.forwardWithCache(model.input(tf.tensor2d(x), tf.tensor2d(e)));
        return [cache.out, model.backward(cache, tf.tensor2d(R))] as const;
      });
      const w64 = weights.map((w) => Float64Array.from(w));
      const ref = jsForward(config, w64, x, e);
      assert.ok(maxAbsDiff(await out.data(), ref.flat()) < 1e-5, "forwardWithCache");
      const plain = tf.tidy(() => model.forward(tf.tensor2d(x), tf.tensor2d(e)));
      assert.ok(maxAbsDiff(await plain.data(), ref.flat()) < 1e-5, "forward");
      plain.dispose();
      const loss = () => jsForward(config, w64, x, e).reduce((s, row, r) => s + row[0] * R[r][0] + row[1] * R[r][1], 0);
      const h = 1e-6;
      for (let p = 0; p < w64.length; ++p) {
        const g = await grads[p].data();
        for (let j = 0; j < w64[p].length; ++j) {
          const keep = w64[p][j];
          w64[p][j] = keep + h; const up = loss();
          w64[p][j] = keep - h; const down = loss();
          w64[p][j] = keep;
          const fd = (up - down) / (2 * h);
          assert.ok(Math.abs(g[j] - fd) < 1e-4 * (1 + Math.abs(fd)), `${paramSpecs(config)[p].name}[${j}]: backward ${g[j]}, finite difference ${fd}`);
        }
      }
      tf.dispose([out, ...grads]);
      model.dispose();
    });
  }

  it("inputRows builds in JS the rows input builds on device, [x_t, sin 2πx_tB, cos 2πx_tB, e(t)], to float32 rounding", async () => {
    const config = {...base, T: 50, embedDim: 8, fourierFeatures: 5, fourierScale: 0.7};
    const model = new MLPDenoiser(config, initialWeights(config, rngFromSeed(2)));
    const rng = rngFromSeed(3);
    const xt = Array.from({length: 14}, () => 6 * rng() - 3);
    const t = [0, 7, 23, 41, 49, 12, 30];
    const device = tf.tidy(() => model.input(tf.tensor2d(xt, [7, 2]), model.embedding.gather(tf.tensor1d(t, "int32"))));
    assert.deepEqual(device.shape, [7, model.inputSize]);
    // Phases reach ~20 rad; float32 rounding of the phase then moves sin/cos by ~2e-6.
    assert.ok(maxAbsDiff(model.inputRows(xt, t), await device.data()) < 1e-5);
    device.dispose();
    model.dispose();
  });

  it("importWeights refuses a wrong shape or a NaN and leaves the weights as they were", async () => {
    const model = new MLPDenoiser(base, initialWeights(base, rngFromSeed(1)));
    const before = await model.exportWeights();
    const wrong = before.map((w) => w.slice());
    wrong[2] = new Float32Array(wrong[2].length + 1);
    assert.throws(() => model.importWeights(wrong), /dense1\/kernel should hold 36 values/);
    const nan = before.map((w) => w.slice());
    nan[4][1] = NaN;
    assert.throws(() => model.importWeights(nan), /dense2\/kernel contains a non-finite value/);
    assert.deepEqual(await model.exportWeights(), before);
    model.dispose();
  });
});

describe("prediction conversions", () => {
  it("for eps, x0 and v targets, epsFromOutput and x0FromOutput recover the ε and x0 that made x_t", async () => {
    const rng = rngFromSeed(3);
    const n = 6;
    const x0v = Array.from({length: 2 * n}, () => 2 * rng() - 1);
    const epsv = Array.from({length: 2 * n}, () => 2 * rng() - 1);
    const ab = Array.from({length: n}, () => 0.05 + 0.9 * rng());
    for (const prediction of ["eps", "x0", "v"] as const) {
      const [eps, x0] = tf.tidy(() => {
        const X0 = tf.tensor2d(x0v, [n, 2]), E = tf.tensor2d(epsv, [n, 2]);
        const sa = tf.tensor2d(ab.map(Math.sqrt), [n, 1]), so = tf.tensor2d(ab.map((a) => Math.sqrt(1 - a)), [n, 1]);
        const xt = tf.add(tf.mul(sa, X0), tf.mul(so, E));
        const out = targetFor(prediction, X0, E, sa, so);
        return [epsFromOutput(out, xt, sa, so, prediction), x0FromOutput(out, xt, sa, so, prediction)];
      });
      assert.ok(maxAbsDiff(await eps.data(), epsv) < 1e-5, `${prediction}: ε`);
      assert.ok(maxAbsDiff(await x0.data(), x0v) < 1e-5, `${prediction}: x0`);
      tf.dispose([eps, x0]);
    }
  });
});

describe("networkDenoiser", () => {
  it("eps at integer and fractional t equals the forward pass on the interpolated embedding, converted with ᾱ(t)", async () => {
    const schedule = makeSchedule("cosine", 20);
    const config: DenoiserConfig = {d: 2, width: 8, depth: 2, activation: "silu", prediction: "v", T: 20, embedDim: 6, timeInput: "input"};
    const rng = rngFromSeed(11);
    const model = new MLPDenoiser(config, initialWeights(config, rng).map((w) => w.map((v) => v + 0.2 * (2 * rng() - 1))));
    const den = networkDenoiser(model, schedule);
    const xt = Float64Array.from({length: 8}, () => 2 * rng() - 1);
    const start = tf.memory().numTensors;
    for (const t of [3, 7.4]) {
      const got = await den.eps(xt, t);
      const ab = alphaBarAt(schedule, t);
      const expected = tf.tidy(() => {
        const x = tf.tensor2d(Float32Array.from(xt), [4, 2]);
        const out = model.forward(x, model.embedding.atFractional(t, 4));
        return epsFromOutput(out, x, Math.sqrt(ab), Math.sqrt(1 - ab), "v");
      });
      assert.ok(maxAbsDiff(got, await expected.data()) < 1e-6, `t = ${t}`);
      expected.dispose();
    }
    assert.equal(tf.memory().numTensors, start, "eps() leaves no tensors behind");
    assert.throws(() => networkDenoiser(model, makeSchedule("cosine", 30)), /built for T = 20/);
    model.dispose();
  });
});
