import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {markovStep, noiseWith, posteriorCoefficients, posteriorMean, sampleForward} from "../../components/math/forward.js";
import {fillNormal, rngFromSeed} from "../../components/math/random.js";
import {alphaBarAfter, makeSchedule, type Schedule} from "../../components/math/schedules.js";

/**
 * Checks that residuals r_i = x_i − √ᾱ·x0_i of 2D points are N(0, (1−ᾱ)I) and uncorrelated with x0.
 * Each statistic is compared with its standard error under the claimed law and allowed 5 s.e.
 * (a false alarm per check has probability < 1e-6), which still catches a wrong coefficient:
 * e.g. using ᾱ of the neighbouring step moves the variance by ≫ 5 s.e. at n = 100k.
 */
function assertClosedForm(x: Float64Array, x0: Float64Array, alphaBar: number, label: string): void {
  const n = x.length / 2, a = Math.sqrt(alphaBar), v = 1 - alphaBar;
  const m = [0, 0], s = [0, 0], c0 = [0, 0];
  let sxy = 0, s0 = 0;
  for (let i = 0; i < n; ++i) {
    const rx = x[2 * i] - a * x0[2 * i], ry = x[2 * i + 1] - a * x0[2 * i + 1];
    m[0] += rx; m[1] += ry;
    s[0] += rx * rx; s[1] += ry * ry;
    sxy += rx * ry;
    c0[0] += rx * x0[2 * i]; c0[1] += ry * x0[2 * i + 1];
    s0 += x0[2 * i] ** 2 + x0[2 * i + 1] ** 2;
  }
  const rms0 = Math.sqrt(s0 / (2 * n));
  for (const k of [0, 1]) {
    assert.ok(Math.abs(m[k] / n) < 5 * Math.sqrt(v / n), `${label}: mean[${k}] = ${m[k] / n}`);
    assert.ok(Math.abs(s[k] / n - v) < 5 * v * Math.sqrt(2 / n), `${label}: var[${k}] = ${s[k] / n}, want ${v}`);
    assert.ok(Math.abs(c0[k] / n) < 5 * Math.sqrt(v / n) * rms0, `${label}: residual correlates with x0`);
  }
  assert.ok(Math.abs(sxy / n) < 5 * v / Math.sqrt(n), `${label}: cov xy = ${sxy / n}`);
}

/** 100k clean points on three fixed locations, so x0 varies and the signal coefficient matters. */
function cleanPoints(n: number): Float64Array {
  const spots = [[1.5, -0.5], [-1, 2], [0.3, 0.1]];
  const x0 = new Float64Array(2 * n);
  for (let i = 0; i < n; ++i) x0.set(spots[i % 3], 2 * i);
  return x0;
}

describe("noiseWith", () => {
  it("noiseWith computes √ᾱ·x0 + √(1−ᾱ)·ε into the given buffer without allocating", () => {
    const x0 = Float64Array.from([1, 2, -3, 4]), eps = Float64Array.from([0.5, -1, 2, 0]);
    const out = new Float64Array(4);
    assert.equal(noiseWith(x0, eps, 0.64, out), out);
    assert.deepEqual(Array.from(out), [0.8 * 1 + 0.6 * 0.5, 0.8 * 2 - 0.6, -0.8 * 3 + 0.6 * 2, 0.8 * 4]);
    noiseWith(x0, eps, 0.64, x0);
    assert.deepEqual(x0, out, "out may alias x0");
    assert.throws(() => noiseWith(x0, new Float64Array(2), 0.5), RangeError);
  });
});

describe("sampleForward / markovStep", () => {
  const n = 100_000;
  const x0 = cleanPoints(n);

  it("sampleForward draws q(x_t | x0) = N(√ᾱ_t x0, (1−ᾱ_t) I)", () => {
    const s = makeSchedule("linear", 1000);
    const t = 300;
    assertClosedForm(sampleForward(x0, t, s, rngFromSeed(11)), x0, s.alphaBar[t], "sampleForward");
  });

  it("k Markov steps agree with the closed form q(x_{k−1} | x0) in mean and covariance", () => {
    const s: Schedule = makeSchedule("cosine", 30);
    const rng = rngFromSeed(12);
    const x = Float64Array.from(x0);
    const k = 20;
    for (let t = 0; t < k; ++t) markovStep(x, t, s, rng, x);
    assertClosedForm(x, x0, alphaBarAfter(s, k), "markov");
    // The check has the power to see an off-by-one: the same chain fails against one step more or less.
    assert.throws(() => assertClosedForm(x, x0, alphaBarAfter(s, k + 1), "k+1"));
    assert.throws(() => assertClosedForm(x, x0, alphaBarAfter(s, k - 1), "k-1"));
  });

  it("markovStep reaches pure noise at the end of a zero-terminal-SNR schedule", () => {
    const s = makeSchedule("linear", 20, {betaEnd: 0.3, zeroTerminalSnr: true});
    const rng = rngFromSeed(13);
    const x = Float64Array.from(x0.subarray(0, 2000));
    for (let t = 0; t < 20; ++t) markovStep(x, t, s, rng, x);
    // β_{T−1} = 1 discards the signal entirely: x is then exactly the last ε, independent of x0.
    assertClosedForm(x, x0.subarray(0, 2000), 0, "terminal");
  });

  it("sampleForward and markovStep reject a t outside 0..T−1", () => {
    const s = makeSchedule("linear", 10);
    assert.throws(() => sampleForward(x0, 10, s, rngFromSeed(1)), RangeError);
    assert.throws(() => markovStep(x0, -1, s, rngFromSeed(1)), RangeError);
  });
});

describe("posterior q(x_{t−1} | x_t, x0)", () => {
  /**
   * Independent reference: condition the joint Gaussian of (x_{t−1}, x_t) given x0. With
   * ā = ∏_{s<t}(1−β_s) (recomputed here from β), x_{t−1} ~ N(√ā x0, 1−ā) and x_t = √α x_{t−1} + √β ε:
   * Var x_t = α(1−ā) + β, Cov = √α(1−ā). Then E = √ā x0 + Cov/Var·(x_t − √(αā) x0), Var = (1−ā) − Cov²/Var.
   */
  function conditioned(s: Schedule, t: number) {
    let abPrev = 1;
    for (let u = 0; u < t; ++u) abPrev *= 1 - s.betas[u];
    const alpha = 1 - s.betas[t], beta = s.betas[t];
    const varT = alpha * (1 - abPrev) + beta, cov = Math.sqrt(alpha) * (1 - abPrev);
    const k = cov / varT;
    return {coefXt: k, coefX0: Math.sqrt(abPrev) - k * Math.sqrt(alpha * abPrev), variance: (1 - abPrev) - cov * k};
  }

  it("posteriorCoefficients agree with direct Gaussian conditioning for every schedule", () => {
    for (const name of ["linear", "scaled-linear", "cosine", "sigmoid"] as const) {
      for (const zeroTerminalSnr of [false, true]) {
        const s = makeSchedule(name, 1000, {zeroTerminalSnr});
        for (const t of [1, 2, 10, 250, 500, 998, 999]) {
          const got = posteriorCoefficients(s, t), want = conditioned(s, t);
          // Float64 with ~1000-term products: agreement to 1e-9 absolute (coefficients are O(1)).
          for (const key of ["coefX0", "coefXt", "variance"] as const) {
            assert.ok(Math.abs(got[key] - want[key]) < 1e-9, `${name} zt=${zeroTerminalSnr} t=${t} ${key}: ${got[key]} vs ${want[key]}`);
          }
        }
      }
    }
  });

  it("posterior at t = 0 is a point mass at x0", () => {
    const s = makeSchedule("cosine", 100);
    assert.deepEqual(posteriorCoefficients(s, 0), {coefX0: 1, coefXt: 0, variance: 0});
    const x0 = Float64Array.from([1, -2]), xt = Float64Array.from([5, 5]);
    assert.deepEqual(posteriorMean(x0, xt, 0, s), x0);
  });

  it("posteriorMean matches Monte Carlo regression of x_{t−1} on (x0, x_t)", () => {
    // Draw x_{t−1} ~ q(·|x0), x_t ~ q(·|x_{t−1}); then x_{t−1} − μ̃(x0, x_t) must have mean 0,
    // variance β̃_t and no correlation with x_t. s.e. as in assertClosedForm; 5 s.e. allowed.
    const s = makeSchedule("linear", 100, {betaEnd: 0.05});
    const t = 40, n = 100_000, rng = rngFromSeed(21);
    const x0 = fillNormal(new Float64Array(n), rng);
    const xPrev = sampleForward(x0, t - 1, s, rng);
    const xt = markovStep(xPrev, t, s, rng);
    const mu = posteriorMean(x0, xt, t, s);
    const {variance} = posteriorCoefficients(s, t);
    let m = 0, v = 0, c = 0, vt = 0;
    for (let i = 0; i < n; ++i) {
      const r = xPrev[i] - mu[i];
      m += r; v += r * r; c += r * xt[i]; vt += xt[i] ** 2;
    }
    assert.ok(Math.abs(m / n) < 5 * Math.sqrt(variance / n));
    assert.ok(Math.abs(v / n - variance) < 5 * variance * Math.sqrt(2 / n), `var ${v / n} vs β̃ ${variance}`);
    assert.ok(Math.abs(c / n) < 5 * Math.sqrt(variance * vt / n) / Math.sqrt(n));
  });
});
