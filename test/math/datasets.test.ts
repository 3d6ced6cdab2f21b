import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {DATASETS, DATASETS_1D, MIXTURES_1D, RING, UNIFORM_1D, isDatasetName, sample1D, sampleDataset} from "../../components/math/datasets.js";
import {rngFromSeed} from "../../components/math/random.js";

function moments2D(p: Float64Array) {
  const n = p.length / 2;
  let mx = 0, my = 0;
  for (let i = 0; i < n; ++i) { mx += p[2 * i]; my += p[2 * i + 1]; }
  mx /= n; my /= n;
  let s = 0;
  for (let i = 0; i < n; ++i) s += (p[2 * i] - mx) ** 2 + (p[2 * i + 1] - my) ** 2;
  return {mx, my, std: Math.sqrt(s / (2 * n))};
}

describe("sampleDataset", () => {
  for (const {name} of DATASETS) {
    it(`${name}: n finite points, roughly standardised, deterministic per seed, different across seeds`, () => {
      const a = sampleDataset(name, 2000, rngFromSeed(1));
      assert.equal(a.length, 4000);
      assert.ok(a.every(Number.isFinite));
      const {mx, my, std} = moments2D(a);
      assert.ok(Math.abs(mx) < 0.15 && Math.abs(my) < 0.15, `mean (${mx}, ${my})`);
      assert.ok(std > 0.5 && std < 1.5, `std ${std}`);
      assert.deepEqual(sampleDataset(name, 2000, rngFromSeed(1)), a);
      const b = sampleDataset(name, 2000, rngFromSeed(2));
      let same = 0;
      for (let i = 0; i < a.length; ++i) if (a[i] === b[i]) same++;
      assert.equal(same, 0);
    });
  }

  it("every data set is standardised exactly, not just roughly (n = 20000)", () => {
    // The standardisation is computed from each set's definition, so a large sample's mean must be
    // 0 and its overall std 1 up to sampling error: s.e. of each mean coordinate ≤ 1/√n ≈ 0.007,
    // of the std ≲ 0.01 for these light-tailed sets. 0.04 is ~5 s.e. and far below a wrong constant.
    for (const {name} of DATASETS) {
      const {mx, my, std} = moments2D(sampleDataset(name, 20_000, rngFromSeed(3)));
      assert.ok(Math.abs(mx) < 0.04 && Math.abs(my) < 0.04, `${name} mean (${mx}, ${my})`);
      assert.ok(Math.abs(std - 1) < 0.04, `${name} std ${std}`);
    }
  });

  it("ring puts equal mass on 8 clusters at RING.radius with std RING.std", () => {
    const n = 8000, p = sampleDataset("ring", n, rngFromSeed(4));
    const counts = new Array(8).fill(0);
    let sq = 0;
    for (let i = 0; i < n; ++i) {
      const x = p[2 * i], y = p[2 * i + 1];
      const k = ((Math.round((Math.atan2(y, x) / (2 * Math.PI)) * 8) % 8) + 8) % 8;
      const a = (2 * Math.PI * k) / 8;
      sq += (x - RING.radius * Math.cos(a)) ** 2 + (y - RING.radius * Math.sin(a)) ** 2;
      counts[k]++;
    }
    // Each count is Binomial(8000, 1/8): 1000 ± 30 (s.e.); 5 s.e. allowed.
    for (const c of counts) assert.ok(Math.abs(c - 1000) < 150, `counts ${counts}`);
    // Mean squared distance to the centre is 2·std² (s.e. ≈ 1.6%); 10% tolerance.
    assert.ok(Math.abs(Math.sqrt(sq / (2 * n)) - RING.std) < 0.1 * RING.std);
  });

  it("checkerboard points lie only on the dark squares", () => {
    const p = sampleDataset("checkerboard", 5000, rngFromSeed(5));
    const scale = Math.sqrt(4 / 3);
    for (let i = 0; i < p.length; i += 2) {
      const col = Math.floor(p[i] * scale + 2), row = Math.floor(p[i + 1] * scale + 2);
      assert.ok(col >= 0 && col < 4 && row >= 0 && row < 4);
      assert.equal((col + row) % 2, 0, `point (${p[i]}, ${p[i + 1]}) on a light square`);
    }
  });

  it("sampleDataset rejects a negative or fractional n", () => {
    assert.throws(() => sampleDataset("moons", -1, rngFromSeed(1)), RangeError);
    assert.throws(() => sampleDataset("moons", 2.5, rngFromSeed(1)), RangeError);
    assert.equal(sampleDataset("moons", 0, rngFromSeed(1)).length, 0);
  });
});

describe("isDatasetName", () => {
  it("knows exactly DATASETS' names", () => {
    for (const {name} of DATASETS) assert.equal(isDatasetName(name), true, name);
    for (const other of ["drawn", "Ring", "bimodal", "", null, 1]) assert.equal(isDatasetName(other), false, String(other));
  });
});

describe("sample1D", () => {
  it("mixtures have the mean and variance of their definition", () => {
    const n = 100_000;
    for (const name of ["bimodal", "trimodal"] as const) {
      const m = MIXTURES_1D[name];
      const mean = m.weights.reduce((s, w, k) => s + w * m.means[k], 0);
      const variance = m.weights.reduce((s, w, k) => s + w * (m.vars[k] + m.means[k] ** 2), 0) - mean ** 2;
      const x = sample1D(name, n, rngFromSeed(6));
      assert.equal(x.length, n);
      const mu = x.reduce((a, b) => a + b, 0) / n;
      const v = x.reduce((a, b) => a + (b - mu) ** 2, 0) / n;
      // s.e. of the mean √(var/n) ≈ 0.003; of the variance √((m4 − var²)/n) < 0.005 for these
      // bounded-kurtosis mixtures. 5 s.e.
      assert.ok(Math.abs(mu - mean) < 5 * Math.sqrt(variance / n), `${name} mean ${mu}`);
      assert.ok(Math.abs(v - variance) < 0.025, `${name} var ${v} vs ${variance}`);
    }
  });

  it("mixtures put the right mass in each mode", () => {
    const n = 100_000, x = sample1D("trimodal", n, rngFromSeed(7));
    let left = 0, mid = 0;
    for (const v of x) { if (v < -0.625) left++; else if (v < 0.625) mid++; }
    // Modes are 6.25 std apart, so the cut at the midpoints misassigns < 1e-3 of the mass.
    // Binomial s.e. ≈ 0.0015; tolerance 0.01.
    assert.ok(Math.abs(left / n - 0.3) < 0.01 && Math.abs(mid / n - 0.4) < 0.01, `${left / n} ${mid / n}`);
  });

  it("uniform stays in [−√3, √3] with mean 0 and variance 1", () => {
    const n = 100_000, x = sample1D("uniform", n, rngFromSeed(8));
    assert.ok(x.every((v) => v >= UNIFORM_1D.low && v < UNIFORM_1D.high));
    const mu = x.reduce((a, b) => a + b, 0) / n, v = x.reduce((a, b) => a + b * b, 0) / n - mu * mu;
    // s.e.: mean 1/√n ≈ 0.003; variance √(0.8/n) ≈ 0.0028 (uniform: m4 − var² = 9/5 − 1). 5 s.e.
    assert.ok(Math.abs(mu) < 0.016 && Math.abs(v - 1) < 0.015, `mean ${mu} var ${v}`);
  });

  it("every 1D data set is listed and deterministic per seed", () => {
    for (const {name} of DATASETS_1D) assert.deepEqual(sample1D(name, 100, rngFromSeed(9)), sample1D(name, 100, rngFromSeed(9)));
  });
});
