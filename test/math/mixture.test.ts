import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {MIXTURES_1D, sample1D} from "../../components/math/datasets.js";
import {
  MIXTURES, covFromAxes, density1D, epsFromScore, exactDenoiser, logDensity, marginal1D, mixtureByName, noiseMixture,
  sampleMixture, score, scoreAt, scoreFromEps, tweedie, type Mixture,
} from "../../components/math/mixture.js";
import {fillNormal, rngFromSeed} from "../../components/math/random.js";
import {alphaBarAt, makeSchedule} from "../../components/math/schedules.js";

/** Mean and covariance [xx, xy, yy] a mixture implies: Σ w(Σ_k + μ_k μ_kᵀ) − m mᵀ. */
function mixtureMoments(m: Mixture) {
  const W = m.weights.reduce((a, b) => a + b, 0);
  let mx = 0, my = 0, xx = 0, xy = 0, yy = 0;
  m.weights.forEach((w0, k) => {
    const w = w0 / W, [ux, uy] = m.means[k], [sxx, sxy, syy] = m.covs[k];
    mx += w * ux; my += w * uy;
    xx += w * (sxx + ux * ux); xy += w * (sxy + ux * uy); yy += w * (syy + uy * uy);
  });
  return {mx, my, xx: xx - mx * mx, xy: xy - mx * my, yy: yy - my * my};
}

/** Sample mean and covariance, with each statistic's standard error estimated from the sample. */
function sampleMoments(p: Float64Array) {
  const n = p.length / 2;
  let mx = 0, my = 0;
  for (let i = 0; i < n; ++i) { mx += p[2 * i]; my += p[2 * i + 1]; }
  mx /= n; my /= n;
  const acc = {xx: [0, 0], xy: [0, 0], yy: [0, 0]};
  const add = (a: number[], v: number) => { a[0] += v; a[1] += v * v; };
  for (let i = 0; i < n; ++i) {
    const dx = p[2 * i] - mx, dy = p[2 * i + 1] - my;
    add(acc.xx, dx * dx); add(acc.xy, dx * dy); add(acc.yy, dy * dy);
  }
  const mean = (a: number[]) => a[0] / n, se = (a: number[]) => Math.sqrt((a[1] / n - (a[0] / n) ** 2) / n);
  return {
    mx, my, xx: mean(acc.xx), xy: mean(acc.xy), yy: mean(acc.yy),
    se: {mx: Math.sqrt(mean(acc.xx) / n), my: Math.sqrt(mean(acc.yy) / n), xx: se(acc.xx), xy: se(acc.xy), yy: se(acc.yy)},
  };
}

/**
 * Sample vs. exact mean and covariance, each within 5 standard errors estimated from the sample
 * itself (s.e. of a second moment = sd(dx·dy)/√n), so the tolerance adapts to each mixture's kurtosis.
 */
function assertMoments(p: Float64Array, m: Mixture, label: string) {
  const got = sampleMoments(p), want = mixtureMoments(m);
  for (const key of ["mx", "my", "xx", "xy", "yy"] as const) {
    assert.ok(Math.abs(got[key] - want[key]) < 5 * got.se[key], `${label} ${key}: ${got[key]} vs ${want[key]} (s.e. ${got.se[key]})`);
  }
}

const mixtures = MIXTURES.map((m) => m.mixture);
const probes: [number, number][] = [[0, 0], [0.3, -0.7], [-1.1, 0.05], [1.4, 1.4], [2.5, -3], [-0.9, -0.55]];

describe("logDensity / score", () => {
  it("logDensity of a single Gaussian matches the closed-form 2D normal density", () => {
    const [sxx, sxy, syy] = covFromAxes(0.7, 0.2, 0.4), det = sxx * syy - sxy * sxy;
    const m: Mixture = {weights: [3], means: [[0.5, -1]], covs: [[sxx, sxy, syy]]};
    const dx = 1.2 - 0.5, dy = 0.3 + 1;
    const q = (syy * dx * dx - 2 * sxy * dx * dy + sxx * dy * dy) / det;
    const expected = Math.exp(-q / 2) / (2 * Math.PI * Math.sqrt(det));
    assert.ok(Math.abs(Math.exp(logDensity(m, 1.2, 0.3)) / expected - 1) < 1e-12, "weights are normalised");
  });

  it("score agrees with central finite differences of logDensity for every ready-made mixture", () => {
    // h = 1e-5: truncation h²/6·|∂³log p| ≲ 1e-10·1e4 (∂³ ~ 1/σ⁶ at std 0.1) = 1e-6,
    // round-off ε·|log p|/h ≲ 1e-16·300/1e-5 = 3e-9. Tolerance 1e-5·(1 + |score|).
    const h = 1e-5;
    for (const m of mixtures) {
      for (const alphaBar of [1, 0.9, 0.3]) {
        const q = noiseMixture(m, alphaBar);
        for (const [x, y] of probes) {
          const [gx, gy] = score(q, x, y);
          const fx = (logDensity(q, x + h, y) - logDensity(q, x - h, y)) / (2 * h);
          const fy = (logDensity(q, x, y + h) - logDensity(q, x, y - h)) / (2 * h);
          assert.ok(Math.abs(gx - fx) < 1e-5 * (1 + Math.abs(fx)), `ᾱ=${alphaBar} (${x},${y}) ∂x ${gx} vs ${fx}`);
          assert.ok(Math.abs(gy - fy) < 1e-5 * (1 + Math.abs(fy)), `ᾱ=${alphaBar} (${x},${y}) ∂y ${gy} vs ${fy}`);
        }
      }
    }
  });

  it("score stays finite far from every component and follows the nearest one", () => {
    // At (100, 0) every N_k underflows to 0 in direct evaluation; log-sum-exp keeps the nearer
    // component's score, −(x − μ)/σ², exactly (the other's responsibility is e^(−~5000)).
    const m = mixtureByName("two-modes");
    const [gx, gy] = score(m, 100, 0);
    assert.ok(Math.abs(gx - -(100 - 1.2) / 0.09) < 1e-9 && gy === 0, `${gx}, ${gy}`);
    assert.ok(Number.isFinite(logDensity(m, 100, 0)));
  });

  it("scoreAt equals score at every point and may overwrite its input", () => {
    const m = mixtureByName("anisotropic");
    const pts = Float64Array.from(probes.flat());
    const batched = scoreAt(m, pts);
    probes.forEach(([x, y], i) => assert.deepEqual(Array.from(score(m, x, y)), [batched[2 * i], batched[2 * i + 1]]));
    assert.deepEqual(scoreAt(m, pts, pts), batched);
  });
});

describe("sampleMixture / noiseMixture", () => {
  it("sampleMixture has the mixture's mean and full covariance (100k draws)", () => {
    for (const {name, mixture} of MIXTURES) assertMoments(sampleMixture(mixture, 100_000, rngFromSeed(31)), mixture, name);
  });

  it("noiseMixture at ᾱ matches Monte Carlo of √ᾱ x0 + √(1−ᾱ) ε in mean and covariance", () => {
    // The second mixture has strongly correlated components, so dropping ᾱ·σxy would shift cov xy
    // by ≥ 0.1 — over 30 s.e. (the anisotropic one alone is too balanced to reveal that).
    const correlated: Mixture = {weights: [0.6, 0.4], means: [[-0.5, 0.5], [1, 0]], covs: [[0.5, 0.4, 0.5], [0.3, 0.2, 0.4]]};
    const n = 100_000, rng = rngFromSeed(32);
    for (const m of [mixtureByName("anisotropic"), correlated]) {
      for (const alphaBar of [0.8, 0.3]) {
        const x0 = sampleMixture(m, n, rng), eps = fillNormal(new Float64Array(2 * n), rng);
        const xt = x0.map((v, i) => Math.sqrt(alphaBar) * v + Math.sqrt(1 - alphaBar) * eps[i]);
        assertMoments(xt, noiseMixture(m, alphaBar), `ᾱ=${alphaBar}`);
      }
    }
  });

  it("noiseMixture's density matches the Monte Carlo mass in boxes", () => {
    // Box mass: exact = ∫ q_t over the box (midpoint rule, 200×200; error ≪ 1e-4 for these smooth
    // densities), MC = fraction of 100k noised draws; binomial s.e. ≤ 0.0016, tolerance 5 s.e.
    const m = mixtureByName("two-modes"), n = 100_000, alphaBar = 0.7, rng = rngFromSeed(33);
    const x0 = sampleMixture(m, n, rng), eps = fillNormal(new Float64Array(2 * n), rng);
    const q = noiseMixture(m, alphaBar);
    for (const [x1, x2, y1, y2] of [[-1.5, -0.5, -0.5, 0.5], [0.5, 1.5, -0.5, 0.5], [-0.3, 0.3, -1, 1]]) {
      let hits = 0;
      for (let i = 0; i < n; ++i) {
        const x = Math.sqrt(alphaBar) * x0[2 * i] + Math.sqrt(1 - alphaBar) * eps[2 * i];
        const y = Math.sqrt(alphaBar) * x0[2 * i + 1] + Math.sqrt(1 - alphaBar) * eps[2 * i + 1];
        if (x >= x1 && x < x2 && y >= y1 && y < y2) hits++;
      }
      const g = 200, hx = (x2 - x1) / g, hy = (y2 - y1) / g;
      let mass = 0;
      for (let i = 0; i < g; ++i) for (let j = 0; j < g; ++j) mass += Math.exp(logDensity(q, x1 + (i + 0.5) * hx, y1 + (j + 0.5) * hy));
      mass *= hx * hy;
      assert.ok(Math.abs(hits / n - mass) < 5 * Math.sqrt((mass * (1 - mass)) / n), `box ${[x1, x2, y1, y2]}: MC ${hits / n} vs ${mass}`);
    }
  });
});

describe("tweedie / eps", () => {
  it("tweedie agrees with a Monte Carlo posterior mean by importance weighting", () => {
    // E[x0 | xt] ≈ Σ w_i x0_i / Σ w_i with x0_i from the mixture and w_i = N(xt; √ᾱ x0_i, (1−ᾱ)I).
    // The self-normalised estimator's s.e. is √(Σ w_i² (x0_i − est)²)/Σ w_i; tolerance 5 s.e.
    const n = 200_000, rng = rngFromSeed(34);
    for (const {name, mixture} of MIXTURES) {
      const x0 = sampleMixture(mixture, n, rng);
      for (const alphaBar of [0.6, 0.2]) {
        const a = Math.sqrt(alphaBar), v = 1 - alphaBar;
        for (const [x, y] of [[0.4, 0.2], [-1, 0.5]]) {
          const w = new Float64Array(n);
          let sw = 0, ex = 0, ey = 0;
          for (let i = 0; i < n; ++i) {
            const dx = x - a * x0[2 * i], dy = y - a * x0[2 * i + 1];
            sw += (w[i] = Math.exp(-(dx * dx + dy * dy) / (2 * v)));
            ex += w[i] * x0[2 * i]; ey += w[i] * x0[2 * i + 1];
          }
          ex /= sw; ey /= sw;
          let vx = 0, vy = 0;
          for (let i = 0; i < n; ++i) { vx += (w[i] * (x0[2 * i] - ex)) ** 2; vy += (w[i] * (x0[2 * i + 1] - ey)) ** 2; }
          const [tx, ty] = tweedie(mixture, alphaBar, Float64Array.from([x, y]));
          const label = `${name} ᾱ=${alphaBar} at (${x}, ${y})`;
          assert.ok(Math.abs(tx - ex) < 5 * Math.sqrt(vx) / sw + 1e-9, `${label}: x ${tx} vs MC ${ex}`);
          assert.ok(Math.abs(ty - ey) < 5 * Math.sqrt(vy) / sw + 1e-9, `${label}: y ${ty} vs MC ${ey}`);
        }
      }
    }
  });

  it("epsFromScore and scoreFromEps are inverse and give ε = −√(1−ᾱ)·score", () => {
    const s = Float64Array.from([1, -2, 0.5]);
    const eps = epsFromScore(s, 0.75);
    assert.deepEqual(Array.from(eps), [-0.5, 1, -0.25]);
    assert.deepEqual(scoreFromEps(eps, 0.75), s);
  });

  it("exactDenoiser's ε̂ turns into the Tweedie x̂0 through x̂0 = (xt − √(1−ᾱ) ε̂)/√ᾱ", async () => {
    const m = mixtureByName("anisotropic"), sched = makeSchedule("cosine", 1000);
    const den = exactDenoiser(m, sched);
    assert.equal(den.d, 2);
    const xt = Float64Array.from(probes.flat());
    for (const t of [0, 10, 250.5, 700, 998.25]) {
      const ab = alphaBarAt(sched, t), eps = await den.eps(xt, t), x0hat = tweedie(m, ab, xt);
      for (let i = 0; i < xt.length; ++i) {
        const viaEps = (xt[i] - Math.sqrt(1 - ab) * eps[i]) / Math.sqrt(ab);
        // Two algebraically equal paths; /√ᾱ amplifies rounding by ≤ 1/√ᾱ_998 ≈ 1e3 ⇒ 1e-9 absolute.
        assert.ok(Math.abs(viaEps - x0hat[i]) < 1e-9 * (1 + Math.abs(x0hat[i])), `t=${t} i=${i}`);
      }
    }
  });

  it("exactDenoiser at pure noise (zero terminal SNR) predicts ε = x_t", async () => {
    const sched = makeSchedule("linear", 100, {zeroTerminalSnr: true});
    const xt = Float64Array.from([0.3, -2, 5, 1]);
    const eps = await exactDenoiser(mixtureByName("ring"), sched).eps(xt, 99);
    // q_t = N(0, I) exactly; inverting the unit covariance leaves only rounding (1e-15 relative).
    eps.forEach((e, i) => assert.ok(Math.abs(e - xt[i]) < 1e-12 * (1 + Math.abs(xt[i])), `${e} vs ${xt[i]}`));
  });
});

describe("density1D / marginal1D", () => {
  const integrate = (f: (x: number) => number) => {
    // Trapezoid on [−12, 12], 24001 nodes: the densities are < 1e-30 at the ends and smooth on the
    // 1e-3 grid (narrowest component std 0.2), so the quadrature error is ≪ 1e-8.
    const a = -12, b = 12, N = 24000, h = (b - a) / N;
    let s = 0.5 * (f(a) + f(b));
    for (let i = 1; i < N; ++i) s += f(a + i * h);
    return s * h;
  };

  it("density1D integrates to 1 at every noise level", () => {
    for (const m of Object.values(MIXTURES_1D)) {
      for (const alphaBar of [1, 0.999, 0.5, 1e-3, 0]) assert.ok(Math.abs(integrate((x) => density1D(m, alphaBar, x)) - 1) < 1e-8);
    }
  });

  it("marginal1D of the uniform set integrates to 1 on both sides of its Simpson/erfc switch", () => {
    // The switch sits at √ᾱ·2√3 = √(1−ᾱ), i.e. ᾱ = 1/13. erfc is good to ~1e-7, so 1e-6.
    for (const alphaBar of [0.999, 0.5, 1 / 13 + 1e-9, 1 / 13 - 1e-9, 1e-3, 0]) {
      assert.ok(Math.abs(integrate((x) => marginal1D("uniform", alphaBar, x)) - 1) < 1e-6, `ᾱ=${alphaBar}`);
    }
    for (const x of [0, 1, 3, 5]) {
      const l = marginal1D("uniform", 1 / 13 - 1e-9, x), r = marginal1D("uniform", 1 / 13 + 1e-9, x);
      assert.ok(Math.abs(l / r - 1) < 1e-5, `jump at x=${x}: ${l} vs ${r}`);
    }
  });

  it("marginal1D matches the histogram of noised 1D samples", () => {
    // Bin mass (Simpson on the bin) vs fraction of 100k noised draws; binomial s.e. ≤ 0.0016, 5 s.e.
    const n = 100_000, rng = rngFromSeed(35);
    for (const name of ["bimodal", "trimodal", "uniform"] as const) {
      for (const alphaBar of [0.9, 0.3]) {
        const x0 = sample1D(name, n, rng), eps = fillNormal(new Float64Array(n), rng);
        const xt = x0.map((v, i) => Math.sqrt(alphaBar) * v + Math.sqrt(1 - alphaBar) * eps[i]);
        for (let lo = -2.5; lo < 2.5; lo += 0.5) {
          const hi = lo + 0.5, count = xt.filter((v) => v >= lo && v < hi).length;
          const f = (x: number) => marginal1D(name, alphaBar, x);
          let mass = 0;
          const k = 50, h = (hi - lo) / k;
          for (let i = 0; i < k; i += 2) mass += (h / 3) * (f(lo + i * h) + 4 * f(lo + (i + 1) * h) + f(lo + (i + 2) * h));
          assert.ok(Math.abs(count / n - mass) < 5 * Math.sqrt(mass * (1 - mass) / n) + 1e-6, `${name} ᾱ=${alphaBar} [${lo}, ${hi}): ${count / n} vs ${mass}`);
        }
      }
    }
  });
});
