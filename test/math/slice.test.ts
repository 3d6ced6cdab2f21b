import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {normalCdf, sampleMixture1D, sliceMixture, wasserstein1ToMixture} from "../../components/math/slice.js";
import {density1D, logDensity, mixtureByName} from "../../components/math/mixture.js";
import {rngFromSeed} from "../../components/math/random.js";

describe("sliceMixture", () => {
  it("is p(x₂ | x₁ = a) (and p(x₁ | x₂ = a)): the joint density along the line, normalised numerically, for correlated and isotropic mixtures", () => {
    for (const name of ["ring", "anisotropic"] as const) {
      const m = mixtureByName(name);
      for (const dim of [0, 1] as const) {
        for (const a of [-1.2, 0, 0.7, 1.4]) {
          const at = (v: number) => (dim === 0 ? logDensity(m, a, v) : logDensity(m, v, a));
          // Normalise exp(log p) along the line by the trapezoid rule on a fine grid over [−6, 6].
          const h = 1e-3, xs = Array.from({length: 12001}, (_, i) => -6 + i * h);
          const shift = Math.max(...xs.map(at)), joint = xs.map((v) => Math.exp(at(v) - shift));
          const Z = h * (joint.reduce((s, v) => s + v, 0) - 0.5 * (joint[0] + joint[joint.length - 1]));
          const slice = sliceMixture(m, dim, a);
          for (const v of [-1.4, -0.3, 0, 0.45, 1, 1.41]) {
            const want = Math.exp(at(v) - shift) / Z, got = density1D(slice, 1, v);
            assert.ok(Math.abs(got - want) < 1e-6 * (1 + want), `${name} dim ${dim} a ${a} at ${v}: ${got} vs ${want}`);
          }
        }
      }
    }
  });

  it("refuses a dimension other than 0 or 1 and a value that is not finite", () => {
    assert.throws(() => sliceMixture(mixtureByName("ring"), 2 as 0, 0), /dim must be 0 or 1/);
    assert.throws(() => sliceMixture(mixtureByName("ring"), 0, NaN), /finite/);
  });
});

describe("sampleMixture1D / wasserstein1ToMixture / normalCdf", () => {
  it("normalCdf matches tabulated values of Φ", () => {
    for (const [z, p] of [[0, 0.5], [1, 0.8413447461], [-1.96, 0.0249978951], [3, 0.9986501020]]) assert.ok(Math.abs(normalCdf(z) - p) < 1e-7, `Φ(${z})`);
  });

  it("draws of the mixture are W₁-close to it (O(1/√n)), and a shifted sample is W₁ = shift away", () => {
    const m = {weights: [0.3, 0.7], means: [-1, 1], vars: [0.04, 0.09]};
    const x = sampleMixture1D(m, 5000, rngFromSeed(1));
    assert.ok(wasserstein1ToMixture(x, m) < 0.03, `${wasserstein1ToMixture(x, m)}`);
    const shifted = x.map((v) => v + 0.5);
    assert.ok(Math.abs(wasserstein1ToMixture(shifted, m) - 0.5) < 0.03);
    // Mass: a fraction of 0.3 ± 4 s.e. lies in the left component's half.
    const left = x.filter((v) => v < 0).length / x.length;
    assert.ok(Math.abs(left - 0.3) < 4 * Math.sqrt(0.21 / 5000), `${left}`);
  });
});
