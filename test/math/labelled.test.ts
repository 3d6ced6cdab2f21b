import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {
  LABELLED, checkLabelled, classMixture, classPrior, labelledByName, labelledDrawingProblem, labelledFromDrawing, moonsMixture, sampleLabelled,
} from "../../components/math/labelled.js";
import {sampleMixture} from "../../components/math/mixture.js";
import {sampleDataset} from "../../components/math/datasets.js";
import {slicedWasserstein} from "../../components/math/metrics.js";
import {rngFromSeed} from "../../components/math/random.js";

const sw = (a: Float64Array, b: Float64Array) => slicedWasserstein(a, b, 2, {projections: 128, rng: rngFromSeed(12345)});

describe("labelled sets", () => {
  it("every ready-made set is valid and its class prior sums to 1 (8 × 1/8, 2 × 1/2, 2 × 1/2)", () => {
    const want: Record<string, number[]> = {"ring-modes": new Array(8).fill(1 / 8), "ring-axes": [0.5, 0.5], moons: [0.5, 0.5]};
    for (const {name} of LABELLED) {
      const lm = labelledByName(name);
      checkLabelled(lm);
      const prior = Array.from(classPrior(lm));
      prior.forEach((p, c) => assert.ok(Math.abs(p - want[name][c]) < 1e-12, `${name} class ${c}: ${p}`));
    }
  });

  it("classMixture keeps only the class's components: ring-modes' north-west class is the one mode at 135°", () => {
    const m = classMixture(labelledByName("ring-modes"), 3);
    assert.equal(m.weights.length, 1);
    const r = Math.hypot(...m.means[0]);
    assert.ok(Math.abs(Math.atan2(m.means[0][1], m.means[0][0]) - (3 * Math.PI) / 4) < 1e-12);
    assert.ok(Math.abs(r - Math.sqrt(1.98)) < 1e-12);
    assert.equal(classMixture(labelledByName("ring-axes"), 1).weights.length, 4);
  });

  it("sampleLabelled draws each class with its prior (within 4 binomial s.e.) and each class's points from its own mixture", () => {
    const lm = labelledByName("ring-axes"), n = 20000;
    const {points, labels} = sampleLabelled(lm, n, rngFromSeed(4));
    const share = labels.reduce((a, c) => a + (c === 1 ? 1 : 0), 0) / n;
    assert.ok(Math.abs(share - 0.5) < 4 * Math.sqrt(0.25 / n), `share ${share}`);
    // A point of the diagonal class lies near a diagonal mode: |x| ≈ |y| within a few std.
    for (let i = 0; i < n; ++i) {
      const onDiagonal = Math.abs(Math.abs(points[2 * i]) - Math.abs(points[2 * i + 1])) < 0.7;
      assert.equal(onDiagonal, labels[i] === 1, `point ${i} (${points[2 * i]}, ${points[2 * i + 1]}) has class ${labels[i]}`);
    }
  });

  it("the moons mixture is the site's two-moons set to within sampling noise (SW within 1.5× data-vs-data)", () => {
    const n = 2000, lm = moonsMixture();
    let floor = 0;
    for (let k = 0; k < 5; ++k) floor += sw(sampleDataset("moons", n, rngFromSeed(100 + 2 * k)), sampleDataset("moons", n, rngFromSeed(101 + 2 * k))) / 5;
    const got = sw(sampleMixture(lm.mixture, n, rngFromSeed(7)), sampleDataset("moons", n, rngFromSeed(8)));
    assert.ok(got < 1.5 * floor, `SW ${got}, data vs data ${floor}`);
    // And the upper moon is the class of the upper half circle: its mean lies above the lower moon's.
    const up = sampleMixture(classMixture(lm, 0), n, rngFromSeed(9)), down = sampleMixture(classMixture(lm, 1), n, rngFromSeed(10));
    const meanY = (p: Float64Array) => p.filter((_, i) => i % 2).reduce((a, b) => a + b, 0) / (p.length / 2);
    assert.ok(meanY(up) > meanY(down) + 0.5);
  });

  it("checkLabelled refuses labels out of range and classes with no weight", () => {
    const lm = labelledByName("ring-axes");
    assert.throws(() => checkLabelled({...lm, labels: lm.labels.map((c) => c * 2)}), /class 2, not in 0…1/);
    assert.throws(() => checkLabelled({...lm, labels: lm.labels.map(() => 0)}), /class 1 \(on the diagonals\) has no weight/);
  });
});

describe("labelledFromDrawing", () => {
  /** n points around (x, y), deterministic. */
  const blob = (n: number, x: number, y: number) => Float64Array.from({length: 2 * n}, (_, i) => (i % 2 ? y : x) + 0.01 * Math.sin(i));

  it("makes one class per ink with enough points, in palette order, keeping each ink and its share of the points", () => {
    const points = new Float64Array([...blob(30, -1, 0), ...blob(5, 0, 2), ...blob(90, 1, 0)]);
    const inks = Int32Array.from([...new Array(30).fill(2), ...new Array(5).fill(0), ...new Array(90).fill(5)]);
    const lm = labelledFromDrawing(points, inks, {colorNames: ["blue", "yellow", "red", "teal", "green", "pink"]});
    assert.deepEqual(lm.classes, [{label: "red", color: 2}, {label: "pink", color: 5}]);
    const prior = classPrior(lm);
    assert.ok(Math.abs(prior[0] - 30 / 120) < 1e-12 && Math.abs(prior[1] - 90 / 120) < 1e-12, String(prior));
    // At most 48 components per class, each an isotropic Gaussian of the bandwidth.
    assert.equal(lm.labels.filter((c) => c === 1).length, 48);
    assert.deepEqual(lm.mixture.covs[0], [0.15 ** 2, 0, 0.15 ** 2]);
  });

  it("says what is missing when fewer than two inks have 20 points", () => {
    assert.match(labelledDrawingProblem(new Float64Array(0), new Int32Array(0))!, /empty/);
    assert.match(labelledDrawingProblem(blob(40, 0, 0), new Int32Array(40))!, /at least two colours .* this drawing has 1/);
    assert.equal(labelledDrawingProblem(new Float64Array([...blob(20, 0, 0), ...blob(20, 1, 1)]), Int32Array.from({length: 40}, (_, i) => (i < 20 ? 0 : 1))), null);
    assert.throws(() => labelledFromDrawing(blob(40, 0, 0), new Int32Array(40)), /at least two colours/);
  });
});
