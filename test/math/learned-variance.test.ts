import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {gaussianKl, klSlopeNu, learnedVariance, logVarianceEnds, meanGapScale, type Target} from "../../components/math/learned-variance.js";
import {posteriorBetween} from "../../components/math/forward.js";
import {makeSchedule} from "../../components/math/schedules.js";
import {normalFrom, rngFromSeed} from "../../components/math/random.js";

const schedule = makeSchedule("cosine", 1000);

describe("learnedVariance", () => {
  it("is β̃ at ν = 0, β at ν = 1 and between them, geometrically, for ν in (0, 1)", () => {
    for (const [t, s] of [[1, 0], [500, 499], [999, 998], [600, 267]]) {
      const abT = schedule.alphaBar[t], abS = schedule.alphaBar[s];
      const beta = 1 - abT / abS, betaTilde = posteriorBetween(abT, abS).variance;
      assert.ok(Math.abs(learnedVariance(0, abT, abS) / betaTilde - 1) < 1e-12);
      assert.ok(Math.abs(learnedVariance(1, abT, abS) / beta - 1) < 1e-12);
      assert.ok(Math.abs(learnedVariance(0.5, abT, abS) / Math.sqrt(beta * betaTilde) - 1) < 1e-12);
      const mid = learnedVariance(0.3, abT, abS);
      assert.ok(mid > betaTilde && mid < beta, `t ${t} → ${s}: ${mid} outside [${betaTilde}, ${beta}]`);
    }
  });

  it("refuses a step that ends on clean data, where log β̃ is −∞", () => {
    assert.throws(() => logVarianceEnds(schedule.alphaBar[0], 1), /ᾱ_s < 1/);
  });
});

describe("klSlopeNu", () => {
  it("matches a central finite difference of gaussianKl in ν (μ held fixed)", () => {
    const normal = normalFrom(rngFromSeed(3));
    for (const [t, s] of [[1, 0], [10, 9], [300, 299], [900, 899], [700, 366]]) {
      const {logBeta, logBetaTilde} = logVarianceEnds(schedule.alphaBar[t], schedule.alphaBar[s]);
      const betaTilde = Math.exp(logBetaTilde);
      for (const nu of [-0.3, 0.2, 0.5, 0.9, 1.4]) {
        const gap2 = (betaTilde * normal()) ** 2 + 0.1 * betaTilde;
        const kl = (v: number) => gaussianKl(gap2, betaTilde, v * logBeta + (1 - v) * logBetaTilde);
        const h = 1e-4, fd = (kl(nu + h) - kl(nu - h)) / (2 * h);
        const slope = klSlopeNu(gap2, nu, logBeta, logBetaTilde);
        assert.ok(Math.abs(slope - fd) <= 1e-6 * Math.max(1, Math.abs(fd)), `t ${t}, ν ${nu}: ${slope} against ${fd}`);
      }
    }
  });

  it("vanishes where Σ = β̃ + (μ̃ − μθ)², the KL's minimum over Σ", () => {
    const {logBeta, logBetaTilde} = logVarianceEnds(schedule.alphaBar[5], schedule.alphaBar[4]);
    const target = Math.exp(0.4 * logBeta + 0.6 * logBetaTilde), gap2 = target - Math.exp(logBetaTilde);
    assert.ok(Math.abs(klSlopeNu(gap2, 0.4, logBeta, logBetaTilde)) < 1e-12);
    assert.ok(Math.abs(gaussianKl(0, 0.3, Math.log(0.3))) < 1e-15);
  });
});

describe("meanGapScale", () => {
  it("gives (μ̃ − μθ)² from the output error for ε, x0 and v targets", () => {
    const normal = normalFrom(rngFromSeed(8));
    for (const target of ["eps", "x0", "v"] as Target[]) {
      for (const [t, s] of [[3, 2], [400, 399], [950, 617]]) {
        const abT = schedule.alphaBar[t], abS = schedule.alphaBar[s], sa = Math.sqrt(abT), so = Math.sqrt(1 - abT);
        const {coefX0, coefXt} = posteriorBetween(abT, abS);
        const x0 = normal(), eps = normal(), xt = sa * x0 + so * eps, err = 0.3 * normal();
        const truth = target === "eps" ? eps : target === "x0" ? x0 : sa * eps - so * x0, out = truth + err;
        const x0Hat = target === "eps" ? (xt - so * out) / sa : target === "x0" ? out : sa * xt - so * out;
        const gap = coefX0 * x0 + coefXt * xt - (coefX0 * x0Hat + coefXt * xt);
        assert.ok(Math.abs(meanGapScale(target, abT, abS) * err * err - gap * gap) <= 1e-9 * Math.max(1e-12, gap * gap), `${target} at t ${t}`);
      }
    }
  });
});
