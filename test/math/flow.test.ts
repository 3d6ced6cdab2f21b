import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {eulerFlow, eulerRescaledStep, fieldError, flowMarginal, flowVelocity, interpolate, pathCurvature} from "../../components/math/flow.js";
import {MIXTURES, sampleMixture, tweedie, type Mixture} from "../../components/math/mixture.js";
import {fillNormal, rngFromSeed} from "../../components/math/random.js";
import {ddimStep} from "../../components/samplers/ddim.js";

const close = (a: number, b: number, tol: number, what = "") => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b} (tol ${tol})`);

describe("flowVelocity", () => {
  it("equals (x − E[x0 | x_τ])/τ with E[x0 | x_τ] from Tweedie on the variance-preserving rescaling, for every ready-made mixture", () => {
    const xt = fillNormal(new Float64Array(2 * 50), rngFromSeed(3)).map((v) => 1.5 * v);
    for (const {mixture} of MIXTURES) {
      for (const tau of [0.1, 0.35, 0.7, 0.95]) {
        // x_τ/s = √ᾱ·x0 + √(1−ᾱ)·z with s = √((1−τ)² + τ²), √ᾱ = (1−τ)/s.
        const s = Math.hypot(1 - tau, tau), alphaBar = ((1 - tau) / s) ** 2;
        const x0 = tweedie(mixture, alphaBar, xt.map((v) => v / s));
        const v = flowVelocity(mixture, tau, xt);
        v.forEach((vk, k) => close(vk, (xt[k] - x0[k]) / tau, 1e-9, `τ=${tau} k=${k}`));
      }
    }
  });

  it("is −x at τ = 0 and x − E[μ] at τ = 1", () => {
    const m: Mixture = {weights: [0.25, 0.75], means: [[-1, 0.5], [2, 1]], covs: [[0.3, 0.1, 0.2], [0.1, 0, 0.4]]};
    const x = Float64Array.from([0.3, -0.7, 1.2, 2.5]);
    const v0 = flowVelocity(m, 0, x), v1 = flowVelocity(m, 1, x);
    x.forEach((xk, k) => close(v0[k], -xk, 1e-12, "τ=0"));
    const mean = [0.25 * -1 + 0.75 * 2, 0.25 * 0.5 + 0.75 * 1];
    x.forEach((xk, k) => close(v1[k], xk - mean[k % 2], 1e-12, "τ=1"));
  });

  it("matches a Monte Carlo average of z − x0 over pairs whose x_τ lands near a probe point", () => {
    const m = MIXTURES[0].mixture, tau = 0.5, rng = rngFromSeed(11), n = 400_000;
    const x0 = sampleMixture(m, n, rng), z = fillNormal(new Float64Array(2 * n), rng);
    const {xt, target} = interpolate(x0, z, tau);
    const probe = [0.4, 0.3], h = 0.05;
    let vx = 0, vy = 0, count = 0;
    for (let i = 0; i < n; ++i) {
      if (Math.abs(xt[2 * i] - probe[0]) < h && Math.abs(xt[2 * i + 1] - probe[1]) < h) { vx += target[2 * i]; vy += target[2 * i + 1]; count++; }
    }
    const v = flowVelocity(m, tau, Float64Array.from(probe));
    // ~1,000 pairs in the box: standard error of each mean ≈ 1/√1000 ≈ 0.03, plus the box's width.
    assert.ok(count > 500, `only ${count} pairs in the box`);
    close(vx / count, v[0], 0.12, "vx");
    close(vy / count, v[1], 0.12, "vy");
  });
});

describe("flowMarginal", () => {
  it("has the mean and covariance of (1−τ)·x0 + τ·z over 200,000 draws (within 0.01)", () => {
    const m: Mixture = {weights: [0.25, 0.75], means: [[-1, 0.5], [2, 1]], covs: [[0.3, 0.1, 0.2], [0.1, 0, 0.4]]};
    const n = 200_000, tau = 0.4, x0 = sampleMixture(m, n, rngFromSeed(5)), z = fillNormal(new Float64Array(2 * n), rngFromSeed(6));
    const {xt} = interpolate(x0, z, tau);
    const sample = {mean: [0, 0], cov: [0, 0, 0]};
    for (let i = 0; i < n; ++i) (sample.mean[0] += xt[2 * i] / n), (sample.mean[1] += xt[2 * i + 1] / n);
    for (let i = 0; i < n; ++i) {
      const dx = xt[2 * i] - sample.mean[0], dy = xt[2 * i + 1] - sample.mean[1];
      (sample.cov[0] += (dx * dx) / n), (sample.cov[1] += (dx * dy) / n), (sample.cov[2] += (dy * dy) / n);
    }
    // The mixture's moments: mean Σ w_k m_k, covariance Σ w_k (S_k + m_k m_kᵀ) − mean meanᵀ.
    const q = flowMarginal(m, tau), w = q.weights.map((v) => v / q.weights.reduce((a, b) => a + b, 0));
    const mean = [0, 1].map((c) => w.reduce((a, wk, k) => a + wk * q.means[k][c], 0));
    const second = [[0, 0], [0, 1], [1, 1]].map(([a, b], j) => w.reduce((acc, wk, k) => acc + wk * (q.covs[k][j] + q.means[k][a] * q.means[k][b]), 0) - mean[a] * mean[b]);
    mean.forEach((v, c) => close(sample.mean[c], v, 0.01, `mean ${c}`));
    second.forEach((v, j) => close(sample.cov[j], v, 0.01, `cov ${j}`));
  });
});

describe("fieldError", () => {
  const exact = Float64Array.from([1, 0, 0, 2, -1, 1]);
  it("is 0 for the exact field itself and 1 for a field that is zero everywhere", () => {
    assert.equal(fieldError(exact, exact), 0);
    assert.equal(fieldError(new Float64Array(6), exact), 1);
  });

  it("is √(Σ w|Δ|² / Σ w|v|²): an error at a point of weight 0 does not count", () => {
    const learned = Float64Array.from([1, 0, 0, 2, 5, 5]);
    // Unweighted: |Δ|² = 6² + 4² = 52 over |v|² = 1 + 4 + 2 = 7.
    close(fieldError(learned, exact), Math.sqrt(52 / 7), 1e-12);
    assert.equal(fieldError(learned, exact, Float64Array.from([1, 1, 0])), 0);
    close(fieldError(learned, exact, Float64Array.from([1, 1, 0.5])), Math.sqrt(26 / 6), 1e-12);
  });
});

describe("pathCurvature", () => {
  it("is 0 for straight lines walked in one direction, whatever the spacing of the states", () => {
    const path = [0, 0.1, 0.5, 0.55, 1].map((s) => Float64Array.from([s * 3, -s * 2, 1 + s, 1 - 4 * s]));
    close(pathCurvature(path, 2), 0, 1e-12);
  });

  it("is 1 − 2√2/π for a quarter circle (finely sampled) and 1 for a return trip (chord 0)", () => {
    const K = 2000, arc = Array.from({length: K + 1}, (_, k) => {
      const a = (Math.PI / 2) * (k / K);
      return Float64Array.from([2 * Math.cos(a), 2 * Math.sin(a)]);
    });
    close(pathCurvature(arc, 2), 1 - (2 * Math.SQRT2) / Math.PI, 1e-6, "quarter circle");
    close(pathCurvature([[0, 0], [1, 0], [0, 0]].map((p) => Float64Array.from(p)), 2), 1, 1e-12, "return");
  });

  it("of Euler paths of a point mass's exact field is 0 (every path is the straight line to the point)", () => {
    const m: Mixture = {weights: [1], means: [[0.7, -0.4]], covs: [[1e-10, 0, 1e-10]]};
    const z = fillNormal(new Float64Array(2 * 100), rngFromSeed(2));
    const path = eulerFlow((x, tau) => flowVelocity(m, tau, x), z, 8);
    close(pathCurvature(path, 2), 0, 1e-6);
    close(path[8][0], 0.7, 1e-4, "ends on the point");
  });

  it("of Euler paths of the 8 Gaussians' exact field is clearly above 0 (the marginal field bends paths)", () => {
    const z = fillNormal(new Float64Array(2 * 500), rngFromSeed(4));
    const c = pathCurvature(eulerFlow((x, tau) => flowVelocity(MIXTURES[0].mixture, tau, x), z, 64), 2);
    assert.ok(c > 0.005 && c < 0.5, `curvature ${c}`);
  });
});

describe("eulerRescaledStep", () => {
  it("is DDIM's η = 0 step (ddimStep), to rounding, for several pairs of noise levels", () => {
    const rng = rngFromSeed(9);
    const xt = fillNormal(new Float64Array(40), rng), eps = fillNormal(new Float64Array(40), rng);
    for (const [abT, abS] of [[0.01, 0.2], [0.3, 0.31], [0.5, 0.99], [0.9, 1]]) {
      const a = eulerRescaledStep(xt, eps, abT, abS), b = ddimStep(xt, eps, abT, abS, 0, null);
      a.forEach((v, k) => close(v, b[k], 1e-12, `ᾱ ${abT}→${abS}`));
    }
  });
});
