import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {fillNormal, normalFrom, rngFromSeed} from "../../components/math/random.js";

describe("rngFromSeed", () => {
  it("rngFromSeed returns the same stream for the same seed", () => {
    const a = rngFromSeed(42), b = rngFromSeed(42);
    for (let i = 0; i < 1000; ++i) assert.equal(a(), b());
  });

  it("rngFromSeed values lie in [0, 1)", () => {
    const rng = rngFromSeed(7);
    for (let i = 0; i < 100_000; ++i) {
      const u = rng();
      assert.ok(u >= 0 && u < 1, `draw ${i} = ${u}`);
    }
  });

  it("rngFromSeed decorrelates neighbouring seeds from the first draw", () => {
    // Unhashed, d3's LCG gives seeds s and s+1 first draws 4e-4 apart. After hashing, the first
    // draws of seeds 0..999 should look uniform: each decile holds 100 ± 3·√90 ≈ 100 ± 28.
    const counts = new Array(10).fill(0);
    for (let s = 0; s < 1000; ++s) counts[Math.floor(rngFromSeed(s)() * 10)]++;
    for (const c of counts) assert.ok(Math.abs(c - 100) < 30, `decile counts ${counts}`);
  });

  it("rngFromSeed uses the high 32 bits of large seeds", () => {
    assert.notEqual(rngFromSeed(1)(), rngFromSeed(1 + 2 ** 32)());
  });

  it("rngFromSeed rejects non-integer seeds", () => {
    assert.throws(() => rngFromSeed(0.5), RangeError);
    assert.throws(() => rngFromSeed(NaN), RangeError);
  });
});

describe("normalFrom / fillNormal", () => {
  it("normalFrom has mean 0, variance 1, skew 0 and kurtosis 3 on 100k draws", () => {
    const n = 100_000, normal = normalFrom(rngFromSeed(1));
    let s1 = 0, s2 = 0, s3 = 0, s4 = 0;
    for (let i = 0; i < n; ++i) {
      const z = normal();
      s1 += z; s2 += z * z; s3 += z ** 3; s4 += z ** 4;
    }
    // Standard errors for N(0,1): mean 1/√n, E[z²] √(2/n), E[z³] √(15/n), E[z⁴] √(96/n); allow 5 s.e.
    assert.ok(Math.abs(s1 / n) < 5 / Math.sqrt(n));
    assert.ok(Math.abs(s2 / n - 1) < 5 * Math.sqrt(2 / n));
    assert.ok(Math.abs(s3 / n) < 5 * Math.sqrt(15 / n));
    assert.ok(Math.abs(s4 / n - 3) < 5 * Math.sqrt(96 / n));
  });

  it("normalFrom puts 68.27% of mass within one standard deviation", () => {
    const n = 100_000, normal = normalFrom(rngFromSeed(2));
    let inside = 0;
    for (let i = 0; i < n; ++i) if (Math.abs(normal()) < 1) inside++;
    // Binomial s.e. √(p(1−p)/n) ≈ 0.0015; allow 5 s.e.
    assert.ok(Math.abs(inside / n - 0.682689) < 5 * Math.sqrt(0.6827 * 0.3173 / n));
  });

  it("fillNormal fills every entry and is reproducible per seed", () => {
    const a = fillNormal(new Float64Array(1001), rngFromSeed(3));
    const b = fillNormal(new Float64Array(1001), rngFromSeed(3));
    assert.deepEqual(a, b);
    assert.ok(a.every(Number.isFinite));
    assert.equal(new Set(a).size, a.length, "no entry left at its initial 0 or repeated");
  });

  it("fillNormal and rngFromSeed never call Math.random", () => {
    const original = Math.random;
    Math.random = () => { throw new Error("Math.random was called"); };
    try {
      fillNormal(new Float64Array(100), rngFromSeed(4));
    } finally {
      Math.random = original;
    }
  });
});
