// Analytic-DPM's optimal reverse variance (Bao et al. 2022) on mixtures: the expected squared score
// against closed forms and Monte Carlo, Theorem 1 against the exact reverse step, Theorem 2's bounds,
// and the comparison with β that holds for unit-variance data and fails for wider data.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {
  expectedSquaredScore, optimalVariance, optimalVarianceFromPosterior, posteriorSpread, varianceBounds,
} from "../../components/math/analytic-dpm.js";
import {MIXTURES, noiseMixture, sampleMixture, scoreAt, type Mixture} from "../../components/math/mixture.js";
import {rngFromSeed} from "../../components/math/random.js";
import {mixtureMoments, reverseKernel, strideFrom} from "../../components/math/reverse-kernel.js";
import {makeSchedule} from "../../components/math/schedules.js";

const gaussian = (s2: number): Mixture => ({weights: [1], means: [[0, 0]], covs: [[s2, 0, s2]]});
/** Four tight clusters at (±2, ±2): per-axis variance 4.04, four times the site's data. */
const wide: Mixture = {weights: [1, 1, 1, 1], means: [[2, 2], [-2, 2], [2, -2], [-2, -2]], covs: new Array(4).fill([0.04, 0, 0.04])};
const schedules = [makeSchedule("cosine", 1000), makeSchedule("linear", 1000)];
/** Every 37th timestep from 1 and the last, and the strides of 1000, 100, 10 and 5 steps. */
const grid = (T: number) => [...Array.from({length: Math.ceil(T / 37)}, (_, i) => 1 + 37 * i).filter((t) => t < T), T - 1];

describe("expectedSquaredScore", () => {
  it("is d/(ᾱs² + 1 − ᾱ) for Gaussian data N(0, s²I)", () => {
    for (const s2 of [0.25, 1, 4]) {
      for (const ab of [0.999, 0.7, 0.2, 1e-3]) {
        const got = expectedSquaredScore(gaussian(s2), ab), want = 2 / (ab * s2 + 1 - ab);
        assert.ok(Math.abs(got - want) < 1e-9 * want, `s²=${s2}, ᾱ=${ab}: ${got} vs ${want}`);
      }
    }
  });

  it("matches a Monte Carlo average of ‖∇log q_t‖² over draws of q_t (5 standard errors)", () => {
    for (const {name, mixture} of MIXTURES) {
      for (const ab of [0.99, 0.6, 0.1]) {
        const qt = noiseMixture(mixture, ab), n = 100_000, s = scoreAt(qt, sampleMixture(qt, n, rngFromSeed(21)));
        let mean = 0, sq = 0;
        for (let i = 0; i < n; ++i) {
          const v = s[2 * i] ** 2 + s[2 * i + 1] ** 2;
          mean += v / n; sq += (v * v) / n;
        }
        const se = Math.sqrt((sq - mean * mean) / n), got = expectedSquaredScore(mixture, ab);
        assert.ok(Math.abs(got - mean) < 5 * se, `${name}, ᾱ=${ab}: quadrature ${got}, Monte Carlo ${mean} ± ${se}`);
      }
    }
  });
});

describe("optimalVariance (Bao et al. 2022, Theorem 1)", () => {
  it("for Gaussian data is the exact reverse step's variance, at one step and at strides (α per step, β̄ cumulative)", () => {
    const schedule = schedules[0];
    for (const s2 of [0.25, 1, 4]) {
      for (const [t, steps] of [[500, 1000], [500, 10], [900, 5], [30, 100]]) {
        const {alphaBarT, alphaBarS} = strideFrom(schedule, t, steps);
        const want = reverseKernel(gaussian(s2), alphaBarT, alphaBarS, [0, 0]).covs[0][0];
        const got = optimalVariance(alphaBarT, alphaBarS, expectedSquaredScore(gaussian(s2), alphaBarT), {clip: false});
        assert.ok(Math.abs(got - want) < 1e-7 * want, `s²=${s2}, t=${t}, ${steps} steps: ${got} vs ${want}`);
      }
    }
  });

  it("is the average over x_t of the exact reverse step's variance, E tr Cov[x_s | x_t]/2 (Monte Carlo)", () => {
    const schedule = schedules[0];
    for (const {name, mixture} of MIXTURES) {
      for (const [t, steps] of [[300, 10], [600, 5]]) {
        const {alphaBarT, alphaBarS} = strideFrom(schedule, t, steps), n = 20_000;
        const xt = sampleMixture(noiseMixture(mixture, alphaBarT), n, rngFromSeed(5));
        let mean = 0, sq = 0;
        for (let i = 0; i < n; ++i) {
          const {cov} = mixtureMoments(reverseKernel(mixture, alphaBarT, alphaBarS, [xt[2 * i], xt[2 * i + 1]]));
          const v = (cov[0] + cov[2]) / 2;
          mean += v / n; sq += (v * v) / n;
        }
        const se = Math.sqrt((sq - mean * mean) / n), got = optimalVariance(alphaBarT, alphaBarS, expectedSquaredScore(mixture, alphaBarT));
        assert.ok(Math.abs(got - mean) < 5 * se, `${name}, t=${t}, ${steps} steps: Theorem 1 ${got}, Monte Carlo ${mean} ± ${se}`);
      }
    }
  });

  it("written through the posterior spread gives the same number where the score form is well conditioned", () => {
    const schedule = schedules[0];
    for (const {name, mixture} of MIXTURES) {
      for (const t of [1, 100, 400, 800]) {
        const {alphaBarT, alphaBarS} = strideFrom(schedule, t, 10 < t ? 10 : 1000);
        const a = optimalVariance(alphaBarT, alphaBarS, expectedSquaredScore(mixture, alphaBarT), {clip: false});
        const b = optimalVarianceFromPosterior(alphaBarT, alphaBarS, posteriorSpread(mixture, alphaBarT));
        assert.ok(Math.abs(a - b) < 1e-4 * b, `${name}, t=${t}: ${a} vs ${b}`);
      }
    }
  });
});

describe("the optimal variance's bounds", () => {
  it("lies between β̃ and Theorem 2's upper bound, and below β, on the site's data sets (mean variance ≤ 1)", () => {
    for (const schedule of schedules) {
      for (const {name, mixture} of MIXTURES) {
        const {cov} = mixtureMoments(mixture);
        assert.ok((cov[0] + cov[2]) / 2 <= 1 + 1e-12, `${name} has mean variance ${(cov[0] + cov[2]) / 2}`);
        for (const t of grid(schedule.T)) {
          const spread = posteriorSpread(mixture, schedule.alphaBar[t]);
          for (const steps of [1000, 100, 10, 5]) {
            const {alphaBarT, alphaBarS} = strideFrom(schedule, t, steps);
            if (alphaBarS === 1) continue;
            const v = optimalVarianceFromPosterior(alphaBarT, alphaBarS, spread), {lower, upper} = varianceBounds(alphaBarT, alphaBarS);
            const beta = 1 - alphaBarT / alphaBarS, at = `${schedule.name} ${name} t=${t} ${steps} steps`;
            assert.ok(v >= lower, `${at}: σ*² ${v} < β̃ ${lower}`);
            assert.ok(v <= upper * (1 + 1e-9), `${at}: σ*² ${v} > upper bound ${upper}`);
            assert.ok(v <= beta * (1 + 1e-6), `${at}: σ*² ${v} > β ${beta}`);
          }
        }
      }
    }
  });

  it("exceeds β at high noise for data wider than the unit variance, and not at low noise", () => {
    const schedule = schedules[0], ratio = (t: number) => {
      const {alphaBarT, alphaBarS} = strideFrom(schedule, t, 1000);
      return optimalVarianceFromPosterior(alphaBarT, alphaBarS, posteriorSpread(wide, alphaBarT)) / (1 - alphaBarT / alphaBarS);
    };
    assert.ok(ratio(50) < 1, `t=50: σ*²/β = ${ratio(50)}`);
    assert.ok(ratio(800) > 1.001, `t=800: σ*²/β = ${ratio(800)}`);
  });
});
