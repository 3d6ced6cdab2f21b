import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {exactDenoiser, mixtureByName, sampleMixture} from "../../components/math/mixture.js";
import {hdrLevel, fractionBelow} from "../../components/math/class-metrics.js";
import {sliceMixture, wasserstein1ToMixture, sampleMixture1D} from "../../components/math/slice.js";
import {slicedWasserstein} from "../../components/math/metrics.js";
import {rngFromSeed} from "../../components/math/random.js";
import {makeSchedule} from "../../components/math/schedules.js";
import {replacementSteps, sdeditSteps, sdeditTimesteps} from "../../components/samplers/editing.js";
import {collect} from "../../components/samplers/common.js";

const schedule = makeSchedule("cosine", 100);
const ring = mixtureByName("ring");
const den = exactDenoiser(ring, schedule);

/** 400 points on the square of side 2 around the origin: a stroke that is not on the ring. */
const square = Float64Array.from({length: 800}, (_, j) => {
  const i = j >> 1, u = (i / 400) * 4, side = Math.floor(u), f = u - side;
  const p = [[-1 + 2 * f, -1], [1, -1 + 2 * f], [1 - 2 * f, 1], [-1, 1 - 2 * f]][side];
  return p[j % 2];
});
const moved = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i += 2) s += Math.hypot(a[i] - b[i], a[i + 1] - b[i + 1]);
  return s / (a.length / 2);
};

describe("SDEdit", () => {
  it("takes a share of the steps proportional to t₀, descending from t₀", () => {
    assert.deepEqual(sdeditTimesteps(schedule, 0, 100), [0]);
    const ts = sdeditTimesteps(schedule, 49.5, 100);
    assert.equal(ts.length, 50);
    assert.equal(ts[0], 49.5);
    assert.ok(ts.every((t, i) => i === 0 || t < ts[i - 1]));
    assert.throws(() => sdeditTimesteps(schedule, 100, 10), /t0 must be in \[0, 99\]/);
  });

  it("trades faithfulness for realism as t₀ grows: the distance moved rises, and the share on the data rises from under half to ≥ 95%", async () => {
    const level = hdrLevel(ring, 0.99, rngFromSeed(1));
    const rows = [];
    for (const t0 of [0, 10, 30, 60, 99]) {
      const x = (await collect(sdeditSteps(den, schedule, square, {t0, steps: 100, rng: rngFromSeed(2)}))).x;
      rows.push({t0, moved: moved(x, square), real: 1 - fractionBelow(ring, x, level)});
    }
    for (let k = 1; k < rows.length; ++k) assert.ok(rows[k].moved > rows[k - 1].moved, JSON.stringify(rows));
    assert.ok(rows[0].moved < 0.1 && rows[0].real < 0.5, JSON.stringify(rows[0]));
    for (const r of rows.slice(1)) assert.ok(r.real >= 0.95, JSON.stringify(r));
  });

  it("from t₀ = T−1 it forgets the input: the edits are samples of the data (SW within 1.5× data-vs-data)", async () => {
    const sw = (a: Float64Array, b: Float64Array) => slicedWasserstein(a, b, 2, {projections: 128, rng: rngFromSeed(12345)});
    const x = (await collect(sdeditSteps(den, schedule, square, {t0: 99, steps: 100, rng: rngFromSeed(3)}))).x;
    const floor = sw(sampleMixture(ring, 400, rngFromSeed(4)), sampleMixture(ring, 400, rngFromSeed(5)));
    const got = sw(x, sampleMixture(ring, 400, rngFromSeed(6)));
    assert.ok(got < 1.5 * Math.max(floor, 0.05), `SW ${got}, data vs data ${floor}`);
  });
});

describe("inpainting by replacement", () => {
  const inpaint = async (a: number, n: number, seed: number, resample = 1) => {
    const known = Float64Array.from({length: 2 * n}, (_, i) => (i % 2 ? 0 : a));
    const x = (await collect(replacementSteps(den, schedule, known, [true, false], {rng: rngFromSeed(seed), resample}))).x;
    return {x, x2: Float64Array.from({length: n}, (_, i) => x[2 * i + 1])};
  };

  it("ends with the known coordinate exactly at its value", async () => {
    const {x} = await inpaint(0.7, 50, 1);
    for (let i = 0; i < x.length; i += 2) assert.equal(x[i], 0.7);
  });

  it("is biased where the exact conditional says: through the east mode (x₁ = 1.4) p(x₂ | x₁) puts < 0.1% at |x₂| > 0.5, replacement > 30% (3 seeds)", async () => {
    const slice = sliceMixture(ring, 0, 1.4);
    const exactFar = slice.weights.reduce((s, w, k) => s + (Math.abs(slice.means[k]) > 0.5 ? w : 0), 0);
    assert.ok(exactFar < 1e-3, `exact ${exactFar}`);
    for (const seed of [1, 2, 3]) {
      const {x2} = await inpaint(1.4, 500, seed);
      const far = x2.filter((v) => Math.abs(v) > 0.5).length / x2.length;
      assert.ok(far > 0.3, `seed ${seed}: ${far}`);
      // W₁ to the exact conditional: far outside what exact draws of the same size score.
      const band = wasserstein1ToMixture(sampleMixture1D(slice, 500, rngFromSeed(100 + seed)), slice);
      assert.ok(wasserstein1ToMixture(x2, slice) > 10 * band, `seed ${seed}: W₁ ${wasserstein1ToMixture(x2, slice)}, exact draws ${band}`);
    }
  });

  it("RePaint's resampling shrinks the bias: W₁ to the exact conditional at x₁ = 1.4 falls with U = 5 against U = 1", async () => {
    const slice = sliceMixture(ring, 0, 1.4);
    const plain = wasserstein1ToMixture((await inpaint(1.4, 400, 7)).x2, slice);
    const resampled = wasserstein1ToMixture((await inpaint(1.4, 400, 7, 5)).x2, slice);
    assert.ok(resampled < 0.8 * plain, `U 1: ${plain}, U 5: ${resampled}`);
  });

  it("refuses a mask of the wrong length and a resample count below 1", () => {
    assert.throws(() => replacementSteps(den, schedule, new Float64Array(4), [true], {rng: rngFromSeed(1)}), /mask has 1 entries/);
    assert.throws(() => replacementSteps(den, schedule, new Float64Array(4), [true, false], {rng: rngFromSeed(1), resample: 0}), /resample/);
  });
});
