import {describe, it} from "node:test";
import assert from "node:assert/strict";
import {marginalGrid, modeCount, modesMergeAt} from "../../components/math/marginal-1d.js";
import {makeSchedule, alphaBarAfter} from "../../components/math/schedules.js";
import {marginal1D} from "../../components/math/mixture.js";
import {sample1D, DATASETS_1D} from "../../components/math/datasets.js";
import {rngFromSeed, fillNormal} from "../../components/math/random.js";

const integrate = (f: (x: number) => number, lo = -12, hi = 12, n = 24_000) => {
  let s = 0;
  const h = (hi - lo) / n;
  for (let i = 0; i < n; ++i) s += f(lo + (i + 0.5) * h);
  return s * h;
};

describe("marginal1D and marginalGrid", () => {
  for (const {name} of DATASETS_1D) {
    it(`${name}: q_t integrates to 1 at every noise level`, () => {
      for (const ab of [0.999, 0.7, 0.2, 4e-5]) {
        assert.ok(Math.abs(integrate((x) => marginal1D(name, ab, x)) - 1) < 1e-3, `ᾱ=${ab}`);
      }
    });

    it(`${name}: q_t matches a histogram of √ᾱ·x0 + √(1−ᾱ)·ε (200k draws)`, () => {
      const n = 200_000, ab = 0.5, x0 = sample1D(name, n, rngFromSeed(9));
      const eps = fillNormal(new Float64Array(n), rngFromSeed(10));
      const bins = 40, lo = -3, hi = 3, width = (hi - lo) / bins, counts = new Float64Array(bins);
      for (let i = 0; i < n; ++i) {
        const b = Math.floor((Math.sqrt(ab) * x0[i] + Math.sqrt(1 - ab) * eps[i] - lo) / width);
        if (b >= 0 && b < bins) counts[b]++;
      }
      for (let b = 0; b < bins; ++b) {
        const expected = integrate((x) => marginal1D(name, ab, x), lo + b * width, lo + (b + 1) * width, 50) * n;
        // Poisson noise: 5 standard deviations plus 1% bin-integration slack.
        assert.ok(Math.abs(counts[b] - expected) < 5 * Math.sqrt(expected) + 0.01 * expected + 5, `bin ${b}: ${counts[b]} vs ${expected}`);
      }
    });
  }

  it("at t = T under DDPM's linear schedule every data set is N(0, 1) to within 1e-3", () => {
    const phi = (x: number) => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
    for (const {name} of DATASETS_1D) for (const x of [-2, 0, 1]) assert.ok(Math.abs(marginal1D(name, 4.0358e-5, x) - phi(x)) < 1e-3);
  });

  it("marginalGrid lays out columns by t and rows from +yMax down", () => {
    const grid = marginalGrid("bimodal", (k) => 1 - k / 10, 10, 11, 8, 2);
    assert.equal(grid.length, 88);
    assert.equal(grid[0 * 11 + 3], marginal1D("bimodal", 1 - 3 / 10, 2 - 4 * 0.5 / 8));
  });

  it("modeCount finds the data sets' modes at t = 0 (a flat top counts as none) and one under heavy noise", () => {
    assert.deepEqual(DATASETS_1D.map(({name}) => modeCount(name, 1)), [2, 3, 0]);
    assert.deepEqual(DATASETS_1D.map(({name}) => modeCount(name, 0.1)), [1, 1, 1]);
  });

  it("modesMergeAt matches the closed form for two equal Gaussians: first k with ᾱ_k·(m² − v + 1) ≤ 1", () => {
    // bimodal: ½N(−1, 0.25²) + ½N(1, 0.25²), so the modes merge once ᾱ ≤ 1/1.9375. The two schedules'
    // ᾱ are computed here from their definitions, independently of schedules.ts.
    const linear = (k: number) => { let ab = 1; for (let s = 0; s < k; ++s) ab *= 1 - (1e-4 + (0.02 - 1e-4) * s / 999); return ab; };
    const f = (u: number) => Math.cos(((u + 0.008) / 1.008) * Math.PI / 2) ** 2;
    const cosine = (k: number) => f(k / 1000) / f(0);
    for (const [name, ab] of [["linear", linear], ["cosine", cosine]] as const) {
      let expected = 0;
      while (ab(expected) * (1 - 0.0625 + 1) > 1) ++expected;
      const schedule = makeSchedule(name, 1000);
      const found = modesMergeAt("bimodal", (k) => alphaBarAfter(schedule, k), 1000);
      assert.ok(Math.abs(found - expected) <= 1, `${name}: modes merge at ${found}, closed form ${expected}`);
    }
  });

  it("modesMergeAt is 0 for data with a single mode from the start", () => {
    const schedule = makeSchedule("linear", 1000);
    assert.equal(modesMergeAt("uniform", (k) => alphaBarAfter(schedule, k), 1000), 0);
  });
});
