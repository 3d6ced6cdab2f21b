// The latent chapter's math helpers: the patch layout, prompt accuracy and diversity, and PCA.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {patchify, unpatchify, patchCount, patchValues} from "../../components/math/patches.js";
import {accuracyCounts, addAccuracy, accuracy, meanAttributeAccuracy, diversity} from "../../components/math/image-metrics.js";
import {principalAxes, project, axisGrid} from "../../components/math/pca.js";
import {sampleImages, IMAGE_SIZE} from "../../components/math/toy-images.js";
import {fillNormal, rngFromSeed} from "../../components/math/random.js";

describe("patches", () => {
  it("patchify then unpatchify returns the images, for patch sides 1, 2, 4 and 8", () => {
    const {pixels} = sampleImages(3, rngFromSeed(1));
    for (const p of [1, 2, 4, 8]) {
      const back = unpatchify(patchify(pixels, p), p);
      back.forEach((v, i) => assert.ok(Math.abs(v - pixels[i]) < 1e-6, `p=${p} at ${i}`));
      assert.equal(patchCount(p) * patchValues(p), IMAGE_SIZE);
    }
  });

  it("puts pixel (x, y) of patch side 4 in patch ⌊y/4⌋·4 + ⌊x/4⌋ at (y mod 4)·4 + x mod 4, mapped to 2v − 1", () => {
    const image = new Float32Array(IMAGE_SIZE);
    image[(6 * 16 + 9) * 3 + 1] = 1; // green at x = 9, y = 6
    const patches = patchify(image, 4);
    const k = ((1 * 4 + 2) * 16 + (2 * 4 + 1)) * 3 + 1;
    assert.equal(patches[k], 1);
    assert.equal(patches.filter((v) => v === 1).length, 1);
    assert.equal(patches[0], -1);
  });
});

describe("prompt accuracy and diversity", () => {
  it("counts hits per named attribute, and 'all' only when every named one matches", () => {
    const counts = addAccuracy(accuracyCounts(), {colour: 1, shape: 2}, [
      {size: 0, colour: 1, shape: 2, position: 0}, {size: 1, colour: 1, shape: 0, position: 3}, {size: 0, colour: 4, shape: 0, position: 1},
    ]);
    const a = accuracy(counts);
    assert.equal(a.colour, 2 / 3);
    assert.equal(a.shape, 1 / 3);
    assert.equal(a.all, 1 / 3);
    assert.ok(Number.isNaN(a.size), "size was not asked for");
  });

  it("the mean over attributes weighs each attribute equally", () => {
    const counts = addAccuracy(accuracyCounts(), {size: 0, colour: 0, shape: 0, position: 0}, [{size: 0, colour: 1, shape: 0, position: 0}, {size: 0, colour: 1, shape: 1, position: 0}]);
    assert.equal(meanAttributeAccuracy(counts), (1 + 0 + 0.5 + 1) / 4);
  });

  it("diversity is 0 for identical images and the RMS distance for two", () => {
    const a = new Float32Array(IMAGE_SIZE).fill(0.2);
    assert.equal(diversity(new Float32Array([...a, ...a, ...a])), 0);
    const b = new Float32Array(IMAGE_SIZE).fill(0.5);
    assert.ok(Math.abs(diversity(new Float32Array([...a, ...b])) - 0.3) < 1e-6);
  });
});

describe("principalAxes", () => {
  it("finds the axes and spreads of an anisotropic Gaussian (sd 3 along (1,1,0)/√2, 1 along z, 0.3 elsewhere) within sampling error", () => {
    const n = 4000, rng = rngFromSeed(2), z = fillNormal(new Float64Array(3 * n), rng);
    const x = new Float64Array(3 * n);
    for (let i = 0; i < n; ++i) {
      const [a, b, c] = [3 * z[3 * i], 0.3 * z[3 * i + 1], z[3 * i + 2]];
      x[3 * i] = (a + b) / Math.SQRT2 + 5; x[3 * i + 1] = (a - b) / Math.SQRT2; x[3 * i + 2] = c;
    }
    const p = principalAxes(x, 3, 2, rngFromSeed(3));
    // s.e. of a sample sd is sd/√(2n) ≈ 1.1 % here; 5 % is > 4 s.e.
    assert.ok(Math.abs(p.sd[0] - 3) < 0.15 && Math.abs(p.sd[1] - 1) < 0.05, `sd ${p.sd}`);
    assert.ok(Math.abs(Math.abs(p.axes[0][0] + p.axes[0][1]) / Math.SQRT2 - 1) < 0.01, `axis 0 ${p.axes[0]}`);
    assert.ok(Math.abs(Math.abs(p.axes[1][2]) - 1) < 0.01, `axis 1 ${p.axes[1]}`);
    assert.ok(Math.abs(p.mean[0] - 5) < 0.15);
    const coords = project(x, p);
    let s = 0;
    for (let i = 0; i < n; ++i) s += coords[2 * i] ** 2 / n;
    assert.ok(Math.abs(s - 1) < 0.01, `projected variance ${s}`);
    const grid = axisGrid(p, 3, 2);
    assert.ok(Math.abs(grid[4 * 3] - p.mean[0]) < 1e-6, "the grid's centre is the mean");
  });
});
