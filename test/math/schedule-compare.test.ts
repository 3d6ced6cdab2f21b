import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {COMPARED, alphaBarOfSigma, forwardCurve, impliedBetas, karrasForwardSigmas, leftover, meanOf, splitBySide} from "../../components/math/schedule-compare.js";
import {sampleDataset} from "../../components/math/datasets.js";
import {fillNormal, rngFromSeed} from "../../components/math/random.js";

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe("forwardCurve for β schedules", () => {
  it("linear T=1000: ᾱ after k steps is ∏(1 − β) of DDPM's betas, ending at the published 4.0358e-5", () => {
    const c = forwardCurve("linear", 1000);
    assert.equal(c.alphaBar.length, 1001);
    assert.equal(c.alphaBar[0], 1);
    let ab = 1;
    for (let k = 1; k <= 1000; ++k) {
      ab *= 1 - (1e-4 + ((0.02 - 1e-4) * (k - 1)) / 999);
      assert.ok(rel(c.alphaBar[k], ab) < 1e-12, `k = ${k}: ${c.alphaBar[k]} vs ${ab}`);
    }
    assert.ok(rel(c.alphaBar[1000], 4.0358e-5) < 1e-3);
    assert.equal(c.beta[1], 1e-4);
    assert.equal(c.beta[1000], 0.02);
    assert.ok(Number.isNaN(c.beta[0]));
  });

  it("log-SNR equals log(ᾱ/(1 − ᾱ)) and is +∞ for the clean data", () => {
    for (const {name} of COMPARED) {
      const c = forwardCurve(name, 200);
      assert.equal(c.logSnr[0], Infinity, name);
      for (const k of [1, 50, 199, 200]) {
        const expected = Math.log(c.alphaBar[k] / (1 - c.alphaBar[k]));
        // 1 − ᾱ cancels at k = 1, so compare there loosely; elsewhere to 1e-9.
        assert.ok(Math.abs(c.logSnr[k] - expected) < (k === 1 ? 1e-6 : 1e-9), `${name} k = ${k}`);
      }
    }
  });

  it("custom endpoints and T reach the schedule: scaled-linear T=50 from 1e-3 to 0.04", () => {
    const c = forwardCurve("scaled-linear", 50, {betaStart: 1e-3, betaEnd: 0.04});
    let ab = 1;
    for (let k = 1; k <= 50; ++k) ab *= 1 - (Math.sqrt(1e-3) + ((Math.sqrt(0.04) - Math.sqrt(1e-3)) * (k - 1)) / 49) ** 2;
    assert.ok(rel(c.alphaBar[50], ab) < 1e-12);
  });

  it("zeroTerminalSnr gives ᾱ_T = 0, β_T = 1 and log-SNR −∞ at k = T, and keeps ᾱ after one step", () => {
    for (const name of ["linear", "scaled-linear", "cosine", "sigmoid"] as const) {
      const plain = forwardCurve(name, 100), zero = forwardCurve(name, 100, {zeroTerminalSnr: true});
      assert.equal(zero.alphaBar[100], 0, name);
      assert.equal(zero.beta[100], 1, name);
      assert.equal(zero.logSnr[100], -Infinity, name);
      assert.ok(rel(zero.alphaBar[1], plain.alphaBar[1]) < 1e-12, name);
    }
  });
});

describe("forwardCurve for the EDM/Karras grid", () => {
  it("puts σ = 0 at k = 0, σmin after one step and σmax at k = T (Karras et al. 2022, eq. 5)", () => {
    const s = karrasForwardSigmas(3, {sigmaMin: 0.002, sigmaMax: 80, rho: 7});
    assert.deepEqual(Array.from(s).map((v, i) => (i === 2 ? +v.toPrecision(12) : v)),
      [0, 0.002, +(((80 ** (1 / 7) + 0.002 ** (1 / 7)) / 2) ** 7).toPrecision(12), 80]);
  });

  it("ᾱ = 1/(1 + σ²) and log-SNR = −2 log σ at every step", () => {
    const T = 40, c = forwardCurve("karras", T, {sigmaMin: 0.01, sigmaMax: 50, rho: 5});
    const sigma = karrasForwardSigmas(T, {sigmaMin: 0.01, sigmaMax: 50, rho: 5});
    assert.equal(c.alphaBar[0], 1);
    assert.equal(c.alphaBar[T], 1 / (1 + 2500));
    for (let k = 1; k <= T; ++k) {
      assert.equal(c.alphaBar[k], alphaBarOfSigma(sigma[k]));
      assert.ok(Math.abs(c.logSnr[k] + 2 * Math.log(sigma[k])) < 1e-12);
    }
    assert.ok(rel(c.logSnr[T], -2 * Math.log(50)) < 1e-12);
  });

  it("ignores zeroTerminalSnr: the terminal SNR stays 1/σmax²", () => {
    assert.equal(forwardCurve("karras", 10, {zeroTerminalSnr: true}).alphaBar[10], 1 / (1 + 6400));
  });

  it("impliedBetas multiply back to ᾱ", () => {
    const c = forwardCurve("karras", 100);
    let ab = 1;
    for (let k = 1; k <= 100; ++k) {
      ab *= 1 - c.beta[k];
      assert.ok(rel(ab, c.alphaBar[k]) < 1e-9, `k = ${k}`);
    }
    assert.deepEqual(Array.from(impliedBetas(Float64Array.of(1, 0.5, 0, 0))).slice(1), [0.5, 1, 1]);
  });
});

describe("leftover", () => {
  const n = 100_000;
  const x0 = sampleDataset("moons", n, rngFromSeed(11));
  const eps = fillNormal(new Float64Array(2 * n), rngFromSeed(12));

  it("corr(x_T, x0) ≈ √ᾱ for standardised data (within 0.01 at 100,000 points)", () => {
    for (const ab of [0.25, 0.0047, 0.3]) {
      const {corr} = leftover(x0, eps, ab);
      assert.ok(Math.abs(corr - Math.sqrt(ab)) < 0.01, `ᾱ = ${ab}: corr ${corr}`);
    }
  });

  it("the halves' gap shrinks by √ᾱ (within 0.02), and with ᾱ = 0 only the noise floor is left", () => {
    const {gap0, gapT} = leftover(x0, eps, 0.09);
    assert.ok(gap0 > 1, `gap0 ${gap0}`);
    assert.ok(Math.abs(gapT - 0.3 * gap0) < 0.02, `gapT ${gapT} vs ${0.3 * gap0}`);
    const zero = leftover(x0, eps, 0);
    assert.ok(Math.abs(zero.corr) < 4 / Math.sqrt(2 * n), `corr ${zero.corr}`);
    assert.ok(Math.abs(zero.gapT) < 0.03, `gapT ${zero.gapT}`);
  });

  it("ᾱ = 1 leaves the data untouched", () => {
    const {corr, gap0, gapT} = leftover(x0, eps, 1);
    assert.ok(Math.abs(corr - 1) < 1e-12);
    assert.equal(gapT, gap0);
  });
});

describe("splitBySide and meanOf (the side-coloured planes of /schedules)", () => {
  it("splits any points of the same n by the side of their clean point, keeping pairs together", () => {
    const x0 = Float64Array.from([-1, 5, 2, 6, 0, 7, 3, 8]);
    const xt = Float64Array.from([10, 11, 20, 21, 30, 31, 40, 41]);
    const [left, right] = splitBySide(x0, xt);
    assert.deepEqual(Array.from(left), [10, 11, 30, 31]); // x0.x = −1 and 0
    assert.deepEqual(Array.from(right), [20, 21, 40, 41]);
    assert.deepEqual(meanOf(left), [20, 21]);
    assert.ok(meanOf(new Float64Array(0)).every(Number.isNaN));
    assert.throws(() => splitBySide(x0, xt.subarray(2)), RangeError);
  });
});

describe("where each schedule halves the signal (the /schedules prose)", () => {
  it("at T = 1000, ᾱ falls through 0.5 at t/T ≈ 0.26 (linear), 0.35 (scaled linear), 0.50 (cosine)", () => {
    // The crossing, interpolated between the two steps around it: measured 0.2591, 0.3549, 0.4960.
    const half = (name: (typeof COMPARED)[number]["name"]) => {
      const ab = forwardCurve(name, 1000).alphaBar, k = ab.findIndex((a) => a <= 0.5);
      return (k - 1 + (ab[k - 1] - 0.5) / (ab[k - 1] - ab[k])) / 1000;
    };
    for (const [name, quoted] of [["linear", 0.26], ["scaled-linear", 0.35], ["cosine", 0.5]] as const) {
      assert.ok(Math.abs(half(name) - quoted) < 0.005, `${name}: ${half(name)}`);
    }
  });
});
