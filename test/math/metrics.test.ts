import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {YARDSTICK, medianBandwidth, mmdRbf, qualityYardstick, slicedWasserstein} from "../../components/math/metrics.js";
import {fillNormal, rngFromSeed} from "../../components/math/random.js";

const gaussian = (n: number, seed: number) => fillNormal(new Float64Array(2 * n), rngFromSeed(seed));
const shifted = (p: Float64Array, dx: number) => p.map((v, i) => (i % 2 === 0 ? v + dx : v));

describe("slicedWasserstein", () => {
  it("slicedWasserstein matches quantile matching by hand for unequal sizes", () => {
    // d = 1, so every direction is ±1 and the value is exact. Quantile functions of {0, 1} and
    // {0, ½, 1} differ by ½ on q ∈ [⅓, ⅔): W1 = ½·⅓ = 1/6, W2 = √(¼·⅓) = 1/√12.
    const a = Float64Array.from([1, 0]), b = Float64Array.from([0.5, 1, 0]);
    assert.ok(Math.abs(slicedWasserstein(a, b, 1, {rng: rngFromSeed(1), p: 1}) - 1 / 6) < 1e-15);
    assert.ok(Math.abs(slicedWasserstein(a, b, 1, {rng: rngFromSeed(1), p: 2}) - 1 / Math.sqrt(12)) < 1e-15);
  });

  it("slicedWasserstein of a pure shift is 2|δ|/π for p = 1 and |δ|/√2 for p = 2 in 2D", () => {
    // b = a + δ moves every projection by θ·δ without reordering, so each 1D W_p is exactly |θ·δ|.
    // What remains is the Monte Carlo over directions: sd(|cos|) ≈ 0.31, sd(cos²) ≈ 0.35, so with
    // 20000 directions the relative s.e. is ≈ 0.35% (p = 1) and ≈ 0.5% (p = 2, after the square
    // root). Tolerance 2.5% relative, ≥ 5 s.e.
    const a = gaussian(50, 2); // n only costs time here: the value depends on the directions alone
    for (const delta of [0.5, 2]) {
      const b = shifted(a, delta);
      const sw1 = slicedWasserstein(a, b, 2, {projections: 20_000, rng: rngFromSeed(3), p: 1});
      const sw2 = slicedWasserstein(a, b, 2, {projections: 20_000, rng: rngFromSeed(4), p: 2});
      assert.ok(Math.abs(sw1 / ((2 * delta) / Math.PI) - 1) < 0.025, `SW1 ${sw1}`);
      assert.ok(Math.abs(sw2 / (delta / Math.SQRT2) - 1) < 0.025, `SW2 ${sw2}`);
    }
  });

  it("slicedWasserstein between two draws of N(0, I) at n = 2000 is at its sampling-noise level", () => {
    // For two independent n-samples of N(0, 1), E W1 ≈ (2/√(πn))·∫√(Φ(1−Φ)) dx (the empirical
    // CDF difference at x is ≈ N(0, 2Φ(1−Φ)/n)); every projection of N(0, I) is N(0, 1), so SW1 has
    // the same mean. Its seed-to-seed sd is ≈ 20% of that, so [0.5, 1.5]× the prediction is a
    // wide but meaningful band: both a bias (too large) and a degenerate 0 would fail.
    const n = 2000, a = gaussian(n, 5), b = gaussian(n, 6);
    let integral = 0;
    for (let x = -8; x < 8; x += 1e-3) {
      const phi = 0.5 * (1 + erf((x + 5e-4) / Math.SQRT2));
      integral += Math.sqrt(phi * (1 - phi)) * 1e-3;
    }
    const predicted = (2 / Math.sqrt(Math.PI * n)) * integral;
    const sw1 = slicedWasserstein(a, b, 2, {rng: rngFromSeed(7), p: 1});
    assert.ok(sw1 > 0.5 * predicted && sw1 < 1.5 * predicted, `SW1 ${sw1} vs predicted ${predicted}`);
    // p = 2 weighs the tails more; measured ≈ 0.06 over 20 seeds (sd 0.008). 0.1 is 5 sd above.
    assert.ok(slicedWasserstein(a, b, 2, {rng: rngFromSeed(8)}) < 0.1);
    // Unequal sizes of the same law are just as close.
    assert.ok(slicedWasserstein(a, b.subarray(0, 2 * 1500), 2, {rng: rngFromSeed(9)}) < 0.1);
  });

  it("slicedWasserstein grows monotonically with a known shift", () => {
    const a = gaussian(2000, 10), b = gaussian(2000, 11);
    let prev = -1;
    for (const delta of [0, 0.25, 0.5, 1, 2]) {
      const sw = slicedWasserstein(a, shifted(b, delta), 2, {rng: rngFromSeed(12)});
      assert.ok(sw > prev, `δ=${delta}: ${sw} ≤ ${prev}`);
      prev = sw;
    }
  });

  it("slicedWasserstein is deterministic per rng seed and rejects bad shapes", () => {
    const a = gaussian(100, 13), b = gaussian(100, 14);
    assert.equal(slicedWasserstein(a, b, 2, {rng: rngFromSeed(1)}), slicedWasserstein(a, b, 2, {rng: rngFromSeed(1)}));
    assert.throws(() => slicedWasserstein(a.subarray(1), b, 2, {rng: rngFromSeed(1)}), RangeError);
  });
});

describe("mmdRbf", () => {
  it("mmdRbf (unbiased) is ~0 for two draws of the same law at n = 2000", () => {
    // Under the null MMD²_u has mean 0; over 20 seeds at n = 2000 it had sd ≈ 3e-4 (h = 1) and
    // ≈ 3e-4 (median heuristic), max |value| < 1e-3. Bound 1.5e-3 ≈ 5 sd, and 20× below δ = 0.5.
    const a = gaussian(2000, 20), b = gaussian(2000, 21);
    assert.ok(Math.abs(mmdRbf(a, b, 2)) < 1.5e-3);
    assert.ok(Math.abs(mmdRbf(a, b, 2, {bandwidth: 1})) < 1.5e-3);
  });

  it("mmdRbf matches the closed form for N(0, I) vs N(δ, I)", () => {
    // With k = exp(−|x−y|²/(2h²)) and x − y ~ N(μ, 2I) in d = 2: E k = h²/(h²+2)·exp(−|μ|²/(2(h²+2))), so
    // MMD² = 2·h²/(h²+2)·(1 − exp(−δ²/(2(h²+2)))). At n = 1000 the estimator's sd is ≈ 0.01 for
    // these shifts (measured over seeds), so the tolerance is 0.03.
    const h = 1, a = gaussian(1000, 22), b = gaussian(1000, 23);
    for (const delta of [0.5, 1, 2]) {
      const exact = ((2 * h * h) / (h * h + 2)) * (1 - Math.exp(-(delta ** 2) / (2 * (h * h + 2))));
      const got = mmdRbf(a, shifted(b, delta), 2, {bandwidth: h});
      assert.ok(Math.abs(got - exact) < 0.03, `δ=${delta}: ${got} vs ${exact}`);
    }
  });

  it("mmdRbf grows monotonically with a known shift at a fixed bandwidth", () => {
    const a = gaussian(1000, 24), b = gaussian(1000, 25);
    let prev = -Infinity;
    for (const delta of [0, 0.25, 0.5, 1, 2]) {
      const v = mmdRbf(a, shifted(b, delta), 2, {bandwidth: 1});
      assert.ok(v > prev, `δ=${delta}: ${v} ≤ ${prev}`);
      prev = v;
    }
  });

  it("mmdRbf equals the brute-force double sum of its definition", () => {
    const a = Float64Array.from([0, 0, 1, 0, 0, 2]), b = Float64Array.from([1, 1, -1, 0]), h = 0.7;
    const k = (p: Float64Array, i: number, q: Float64Array, j: number) =>
      Math.exp(-((p[2 * i] - q[2 * j]) ** 2 + (p[2 * i + 1] - q[2 * j + 1]) ** 2) / (2 * h * h));
    let aa = 0, bb = 0, ab = 0;
    for (let i = 0; i < 3; ++i) for (let j = 0; j < 3; ++j) if (i !== j) aa += k(a, i, a, j);
    for (let i = 0; i < 2; ++i) for (let j = 0; j < 2; ++j) if (i !== j) bb += k(b, i, b, j);
    for (let i = 0; i < 3; ++i) for (let j = 0; j < 2; ++j) ab += k(a, i, b, j);
    const expected = aa / 6 + bb / 2 - (2 * ab) / 6;
    assert.ok(Math.abs(mmdRbf(a, b, 2, {bandwidth: h}) - expected) < 1e-15);
    // The generic-d path agrees with the unrolled 2D one.
    const a3 = Float64Array.from([0, 0, 0, 1, 0, 0, 0, 2, 0]), b3 = Float64Array.from([1, 1, 0, -1, 0, 0]);
    assert.ok(Math.abs(mmdRbf(a3, b3, 3, {bandwidth: h}) - expected) < 1e-15);
  });

  it("medianBandwidth is the median pairwise distance", () => {
    // Distances among (0,0), (3,0), (0,4), (3,4): 3, 4, 5, 5, 4, 3 → median (4 + 4)/2 = 4.
    assert.equal(medianBandwidth(Float64Array.from([0, 0, 3, 0, 0, 4, 3, 4]), 2), 4);
  });
});

describe("qualityYardstick", () => {
  const draw = (n: number, rng: () => number) => fillNormal(new Float64Array(2 * n), rng);
  const yardstick = qualityYardstick(draw);

  it("compares with YARDSTICK.n held-out points from YARDSTICK.heldSeed, and its threshold is factor × reference", () => {
    assert.deepEqual(yardstick.held, draw(YARDSTICK.n, rngFromSeed(YARDSTICK.heldSeed)));
    assert.equal(yardstick.threshold, YARDSTICK.factor * yardstick.reference);
    assert.equal(yardstick.distance(yardstick.held), 0);
  });

  it("is the same yardstick on every call: same reference, same distance for the same samples", () => {
    const again = qualityYardstick(draw);
    const samples = draw(500, rngFromSeed(9));
    assert.equal(again.reference, yardstick.reference);
    assert.equal(again.distance(samples), yardstick.distance(samples));
  });

  it("measures a pure shift δ of the held-out points as |δ|/√2 (2D), within the Monte Carlo of 128 directions", () => {
    // Each projection moves by θ·δ without reordering, so SW₂² is the mean of cos²∠(θ, δ)·|δ|² over the
    // 128 fixed directions: E = |δ|²/2, sd(cos²) ≈ 0.35, so the root is within ~3% (1 sd); allow 10%.
    const distance = yardstick.distance(shifted(yardstick.held, 0.8));
    assert.ok(Math.abs(distance - 0.8 / Math.SQRT2) < 0.1 * (0.8 / Math.SQRT2), `distance ${distance}`);
  });

  it("puts a fresh draw of the data near the reference and a draw shifted by 0.5 far past the threshold", () => {
    // The reference is the mean over 5 pairs; one pair's SW varies up to ~2× around it at n = 2,000.
    const fresh = yardstick.distance(draw(YARDSTICK.n, rngFromSeed(31)));
    assert.ok(fresh < 2 * yardstick.reference, `fresh ${fresh} vs reference ${yardstick.reference}`);
    const off = yardstick.distance(shifted(draw(YARDSTICK.n, rngFromSeed(32)), 0.5));
    assert.ok(off > 2 * yardstick.threshold, `shifted ${off} vs threshold ${yardstick.threshold}`);
  });
});

/** erf by Simpson's rule on [0, x] (200 panels; error < 1e-12 for |x| ≤ 8) — test-local reference. */
function erf(x: number): number {
  const N = 200, h = x / N;
  let s = 1 + Math.exp(-x * x);
  for (let i = 1; i < N; ++i) s += (i % 2 ? 4 : 2) * Math.exp(-((i * h) ** 2));
  return ((s * h) / 3) * (2 / Math.sqrt(Math.PI));
}
