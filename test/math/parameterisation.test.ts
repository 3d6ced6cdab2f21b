// The posterior between any two noise levels, the four units of a prediction, and μ_θ through ε.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {posteriorBetween, posteriorCoefficients} from "../../components/math/forward.js";
import {fromUnit, meanFromEps, UNITS} from "../../components/math/parameterisation.js";
import {fillNormal, rngFromSeed} from "../../components/math/random.js";
import {makeSchedule} from "../../components/math/schedules.js";

const close = (a: number, b: number, rel: number, what: string) =>
  assert.ok(Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), 1e-300), `${what}: ${a} vs ${b}`);

describe("posteriorBetween", () => {
  it("equals posteriorCoefficients on one step of the schedule", () => {
    const schedule = makeSchedule("cosine", 1000);
    for (const t of [1, 2, 10, 300, 700, 998]) {
      const a = posteriorBetween(schedule.alphaBar[t], schedule.alphaBar[t - 1]), b = posteriorCoefficients(schedule, t);
      close(a.coefX0, b.coefX0, 1e-9, `coefX0 at t=${t}`);
      close(a.coefXt, b.coefXt, 1e-9, `coefXt at t=${t}`);
      close(a.variance, b.variance, 1e-9, `variance at t=${t}`);
    }
  });

  it("is the Gaussian conditional of x_s given x_t and x0, computed from the joint law", () => {
    // Given x0: x_s = √ᾱ_s·x0 + √(1−ᾱ_s)·z₁ and x_t = a·x_s + √b·z₂ with a² = ᾱ_t/ᾱ_s, b = 1 − a².
    // Then Cov(x_s, x_t) = a(1−ᾱ_s), Var x_t = 1−ᾱ_t, and the conditional is
    // mean √ᾱ_s·x0 + a(1−ᾱ_s)/(1−ᾱ_t)·(x_t − √ᾱ_t·x0), variance (1−ᾱ_s) − a²(1−ᾱ_s)²/(1−ᾱ_t).
    for (const [abT, abS] of [[0.3, 0.9], [0.01, 0.5], [0.6, 0.61], [0.2, 1]]) {
      const a = Math.sqrt(abT / abS), gain = (a * (1 - abS)) / (1 - abT);
      const {coefX0, coefXt, variance} = posteriorBetween(abT, abS);
      close(coefXt, gain, 1e-12, "coefXt");
      close(coefX0, Math.sqrt(abS) - gain * Math.sqrt(abT), 1e-12, "coefX0");
      assert.ok(Math.abs(variance - ((1 - abS) - (a * a * (1 - abS) ** 2) / (1 - abT))) < 1e-14, "variance");
    }
  });

  it("refuses a later state that is not noisier", () => {
    assert.throws(() => posteriorBetween(0.5, 0.5), RangeError);
    assert.throws(() => posteriorBetween(0.6, 0.5), RangeError);
  });
});

describe("fromUnit", () => {
  const n = 50, rng = rngFromSeed(4), x0 = fillNormal(new Float64Array(2 * n), rng), eps = fillNormal(new Float64Array(2 * n), rng);

  it("recovers ε, x0, v and the score from any one of them", () => {
    for (const alphaBar of [0.999, 0.5, 0.01]) {
      const a = Math.sqrt(alphaBar), b = Math.sqrt(1 - alphaBar);
      const xt = x0.map((v, i) => a * v + b * eps[i]);
      const truth = {eps, x0, v: eps.map((e, i) => a * e - b * x0[i]), score: eps.map((e) => -e / b)};
      for (const unit of UNITS) {
        const got = fromUnit(unit, truth[unit], xt, alphaBar);
        for (const other of UNITS) {
          for (let i = 0; i < xt.length; ++i) assert.ok(Math.abs(got[other][i] - truth[other][i]) < 1e-9 * (1 + Math.abs(truth[other][i])), `${unit} → ${other} at ᾱ=${alphaBar}`);
        }
      }
    }
  });

  it("refuses ᾱ where a unit is undefined", () => {
    assert.throws(() => fromUnit("eps", eps, x0, 1), RangeError);
    assert.throws(() => fromUnit("eps", eps, x0, 0), RangeError);
  });
});

describe("meanFromEps (Ho et al. eq. 11)", () => {
  it("equals the posterior mean at x̂0 = (x_t − √(1−ᾱ_t)ε)/√ᾱ_t, for one step and for strides", () => {
    const rng = rngFromSeed(9), xt = fillNormal(new Float64Array(20), rng), eps = fillNormal(new Float64Array(20), rng);
    for (const [abT, abS] of [[0.5, 0.51], [0.2, 0.8], [0.05, 0.999]]) {
      const mu = meanFromEps(xt, eps, abT, abS), {coefX0, coefXt} = posteriorBetween(abT, abS);
      for (let i = 0; i < xt.length; ++i) {
        const x0 = (xt[i] - Math.sqrt(1 - abT) * eps[i]) / Math.sqrt(abT);
        assert.ok(Math.abs(mu[i] - (coefX0 * x0 + coefXt * xt[i])) < 1e-12 * (1 + Math.abs(mu[i])), `at ᾱ_t=${abT}, ᾱ_s=${abS}`);
      }
    }
  });
});
