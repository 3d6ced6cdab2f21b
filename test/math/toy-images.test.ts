// The captioned toy images: seeded, held-out combinations kept out of training, and every caption
// word checked against the pixels by measurements that do not use the generator's own code.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {allCombinations, captionFor, imagesForPrompt, isHeldOut, renderImage, sampleImages, COLOURS, HELD_OUT, IMAGE_SIDE, IMAGE_SIZE, RGB, type Attributes} from "../../components/math/toy-images.js";
import {rngFromSeed} from "../../components/math/random.js";

/** Coverage per pixel (brightness relative to the brightest pixel), centroid, area, and mean colour of lit pixels. */
function measure(pixels: Float32Array, i: number) {
  const cover = new Float64Array(IMAGE_SIDE * IMAGE_SIDE);
  const rgb = [0, 0, 0];
  for (let k = 0; k < cover.length; ++k) {
    const o = i * IMAGE_SIZE + 3 * k;
    cover[k] = Math.max(pixels[o], pixels[o + 1], pixels[o + 2]);
  }
  const peak = Math.max(...cover);
  let area = 0, cx = 0, cy = 0, lit = 0;
  for (let k = 0; k < cover.length; ++k) {
    const c = cover[k] / peak;
    area += c; cx += c * ((k % IMAGE_SIDE) + 0.5); cy += c * (Math.floor(k / IMAGE_SIDE) + 0.5);
    if (c > 0.95) { ++lit; for (let j = 0; j < 3; ++j) rgb[j] += pixels[i * IMAGE_SIZE + 3 * k + j]; }
  }
  return {area, cx: cx / area, cy: cy / area, rgb: rgb.map((v) => v / lit), cover: cover.map((c) => c / peak)};
}

describe("toy images", () => {
  it("sampleImages is deterministic for a seed and differs across seeds", () => {
    const a = sampleImages(50, rngFromSeed(1)), b = sampleImages(50, rngFromSeed(1)), c = sampleImages(50, rngFromSeed(2));
    assert.deepEqual(a.pixels, b.pixels);
    assert.deepEqual(a.attributes, b.attributes);
    assert.notDeepEqual(a.pixels, c.pixels);
  });

  it("jitter scales each image's deviation from its caption's nominal look: 0 draws every image of a combination alike, and the spread of centroids grows with the scale", () => {
    const spread = (jitter: number) => {
      const set = sampleImages(400, rngFromSeed(5), {jitter});
      const byCombination = new Map<string, number[]>();
      set.attributes.forEach((a, i) => {
        const key = JSON.stringify(a);
        byCombination.set(key, [...(byCombination.get(key) ?? []), i]);
      });
      let s = 0, n = 0, identical = true;
      for (const ids of byCombination.values()) {
        if (ids.length < 2) continue;
        const c = ids.map((i) => measure(set.pixels, i)), mx = c.reduce((a, m) => a + m.cx, 0) / c.length;
        for (const m of c) { s += (m.cx - mx) ** 2; ++n; }
        const first = set.pixels.subarray(ids[0] * IMAGE_SIZE, (ids[0] + 1) * IMAGE_SIZE);
        identical &&= ids.every((i) => set.pixels.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE).every((v, k) => v === first[k]));
      }
      return {sd: Math.sqrt(s / n), identical};
    };
    const none = spread(0), half = spread(0.5), full = spread(1);
    assert.ok(none.identical && none.sd < 1e-9, `at 0: identical ${none.identical}, spread ${none.sd}`);
    assert.ok(!half.identical && half.sd > 0.1 && half.sd < full.sd, `centroid spread ${half.sd} at 0.5, ${full.sd} at 1`);
    assert.deepEqual(sampleImages(30, rngFromSeed(1), {jitter: 1}).pixels, sampleImages(30, rngFromSeed(1)).pixels);
  });

  it("training sets never contain a held-out colour–shape pair; 'only' gives nothing else", () => {
    assert.equal(sampleImages(1000, rngFromSeed(3)).attributes.filter(isHeldOut).length, 0);
    assert.ok(sampleImages(200, rngFromSeed(4), {heldOut: "only"}).attributes.every(isHeldOut));
    // 5 pairs × 2 sizes × 4 positions of the 200 combinations.
    assert.equal(allCombinations().filter(isHeldOut).length, HELD_OUT.length * 8);
    assert.equal(allCombinations().length, 200);
  });

  it("captions follow the grammar", () => {
    assert.equal(captionFor({size: 0, colour: 0, shape: 0, position: 0}), "a small red circle on the left");
    assert.equal(captionFor({size: 1, colour: 2, shape: 4, position: 3}), "a large blue ring at the bottom");
  });

  it("the colour word names the hue of the shape's fully covered pixels (within the 0.85–1.05 brightness jitter)", () => {
    const set = sampleImages(200, rngFromSeed(5), {heldOut: "include"});
    set.attributes.forEach((a, i) => {
      const {rgb} = measure(set.pixels, i);
      const nearest = COLOURS.map((c) => {
        const ref = RGB[c], scale = (rgb[0] * ref[0] + rgb[1] * ref[1] + rgb[2] * ref[2]) / (ref[0] ** 2 + ref[1] ** 2 + ref[2] ** 2);
        return ref.reduce((s, v, j) => s + (rgb[j] - scale * v) ** 2, 0);
      });
      assert.equal(nearest.indexOf(Math.min(...nearest)), a.colour, captionFor(a));
    });
  });

  it("the position word names the side the shape's centroid lies on, and the size word its area", () => {
    const set = sampleImages(400, rngFromSeed(6), {heldOut: "include"});
    const middle = IMAGE_SIDE / 2;
    set.attributes.forEach((a, i) => {
      const {cx, cy} = measure(set.pixels, i);
      const offsets = [middle - cx, cx - middle, middle - cy, cy - middle]; // left, right, top, bottom
      assert.equal(offsets.indexOf(Math.max(...offsets)), a.position, `${captionFor(a)}: centroid (${cx.toFixed(1)}, ${cy.toFixed(1)})`);
    });
    // Per shape, every large image covers more area than every small one.
    for (let shape = 0; shape < 5; ++shape) {
      const areas = (size: number) => set.attributes.flatMap((a, i) => (a.shape === shape && a.size === size ? [measure(set.pixels, i).area] : []));
      assert.ok(Math.min(...areas(1)) > Math.max(...areas(0)), `shape ${shape}: small up to ${Math.max(...areas(0)).toFixed(1)}, large from ${Math.min(...areas(1)).toFixed(1)}`);
    }
  });

  it("the shape word matches the drawing: a ring is hollow, a circle is not, a square fills its box, a cross leaves its corners dark", () => {
    const at = (a: Attributes, x: number, y: number) => measure(renderImage(a, {dx: 0, dy: 0, dr: 0, brightness: 1}), 0).cover[y * IMAGE_SIDE + x];
    const base = {size: 1, colour: 0, position: 0};
    // A large shape on the left is centred at (5, 8) with half-extent 5: pixel (5, 8) holds the
    // centre, (1, 4) the top-left corner of its bounding box, (1, 11) the bottom-left corner.
    assert.ok(at({...base, shape: 4}, 5, 8) < 0.05, "ring centre should be dark");
    assert.ok(at({...base, shape: 0}, 5, 8) > 0.95, "circle centre should be lit");
    assert.ok(at({...base, shape: 1}, 1, 4) > 0.95, "square fills its box corner");
    assert.ok(at({...base, shape: 0}, 1, 4) < 0.7, "circle leaves part of the box corner dark");
    assert.ok(at({...base, shape: 3}, 1, 4) < 0.05 && at({...base, shape: 3}, 1, 11) < 0.05, "cross leaves the box corners dark");
    assert.ok(at({...base, shape: 2}, 1, 4) < 0.05 && at({...base, shape: 2}, 1, 11) > 0.4, "triangle: dark top corner, lit bottom corner");
  });

  it("imagesForPrompt keeps the named attributes and varies the others", () => {
    const set = imagesForPrompt({colour: 1, shape: 3}, 40, rngFromSeed(7));
    assert.ok(set.attributes.every((a) => a.colour === 1 && a.shape === 3));
    assert.equal(new Set(set.attributes.map((a) => a.position)).size, 4);
  });
});
