import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {classShares, classYardstick, entropyKL, fractionBelow, hdrLevel, measureClass, spreadRatio} from "../../components/math/class-metrics.js";
import {classMixture, labelledByName, sampleLabelled} from "../../components/math/labelled.js";
import {sampleMixture, type Mixture} from "../../components/math/mixture.js";
import {fillNormal, rngFromSeed} from "../../components/math/random.js";

const gaussian = (sigma: number, n: number, seed: number) => fillNormal(new Float64Array(2 * n), rngFromSeed(seed)).map((v) => sigma * v);

describe("entropyKL / spreadRatio", () => {
  it("entropyKL of N(0, σ²I) in 2D is log(2πeσ²) within 0.06 nats at n = 2,000 (5 seeds, σ = 0.1 and 2)", () => {
    for (const sigma of [0.1, 2]) {
      for (let seed = 1; seed <= 5; ++seed) {
        const got = entropyKL(gaussian(sigma, 2000, seed)), want = Math.log(2 * Math.PI * Math.E * sigma * sigma);
        assert.ok(Math.abs(got - want) < 0.06, `σ ${sigma}, seed ${seed}: ${got} vs ${want}`);
      }
    }
  });

  it("spreadRatio of a cloud scaled by a is a (within 5%), and a shifted cloud scores 1", () => {
    const reference = gaussian(1, 1000, 1);
    for (const a of [0.2, 0.5, 1.5]) {
      const got = spreadRatio(gaussian(a, 1000, 2), reference);
      assert.ok(Math.abs(got / a - 1) < 0.05, `a ${a}: ${got}`);
    }
    const shifted = gaussian(1, 1000, 3).map((v, i) => v + (i % 2 ? -4 : 7));
    assert.ok(Math.abs(spreadRatio(shifted, reference) - 1) < 0.05);
  });

  it("entropyKL needs more than k points", () => {
    assert.throws(() => entropyKL(new Float64Array(8), 4), /more than k = 4/);
  });
});

describe("hdrLevel / fractionBelow", () => {
  it("for one isotropic Gaussian the 99% level is −log(2πσ²) + log(0.01) (the circle holding 99%), to Monte Carlo accuracy", () => {
    const sigma = 0.3, m: Mixture = {weights: [1], means: [[1, -2]], covs: [[sigma ** 2, 0, sigma ** 2]]};
    const level = hdrLevel(m, 0.99, rngFromSeed(1)), want = -Math.log(2 * Math.PI * sigma ** 2) + Math.log(0.01);
    // log p at radius r is −log(2πσ²) − r²/2σ², and r²/σ² is χ²₂; the 1% tail's quantile moves by ~0.1 at n = 20,000.
    assert.ok(Math.abs(level - want) < 0.1, `${level} vs ${want}`);
  });

  it("fresh draws of the mixture fall below its 99% level 1% of the time (within 4 s.e.)", () => {
    const m = classMixture(labelledByName("moons"), 0), level = hdrLevel(m, 0.99, rngFromSeed(2)), n = 20000;
    const got = fractionBelow(m, sampleMixture(m, n, rngFromSeed(3)), level);
    assert.ok(Math.abs(got - 0.01) < 4 * Math.sqrt((0.01 * 0.99) / n) + 4 * Math.sqrt((0.01 * 0.99) / 20000), `${got}`);
  });
});

describe("classShares / measureClass", () => {
  it("classShares of labelled draws sum to 1 and give each class its prior (within 4 s.e.)", () => {
    const lm = labelledByName("ring-modes"), n = 8000, shares = classShares(lm, sampleLabelled(lm, n, rngFromSeed(4)).points);
    assert.ok(Math.abs(shares.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    for (const s of shares) assert.ok(Math.abs(s - 1 / 8) < 4 * Math.sqrt((1 / 8) * (7 / 8) / n), `${s}`);
  });

  it("measureClass of the class's own draws: all in class, spread ≈ 1, ~1% past the 99% region", () => {
    const lm = labelledByName("ring-axes"), yardstick = classYardstick(lm, 1, 1000, 10);
    const got = measureClass(lm, 1, sampleMixture(classMixture(lm, 1), 1000, rngFromSeed(20)), yardstick);
    assert.equal(got.shares[1], 1);
    assert.ok(Math.abs(got.spread - 1) < 0.06, `spread ${got.spread}`);
    assert.ok(got.outside < 0.03, `outside ${got.outside}`);
  });
});
