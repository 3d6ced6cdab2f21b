import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {YARDSTICK, qualityYardstick} from "../../components/math/metrics.js";
import {SCORE_DRAWS, qualityScore} from "../../components/math/quality-score.js";
import {fillNormal, rngFromSeed} from "../../components/math/random.js";

describe("qualityScore", () => {
  const draw = (n: number, rng: () => number) => fillNormal(new Float64Array(2 * n), rng);
  const yardstick = qualityYardstick(draw);

  it("scores SCORE_DRAWS draws of samples as the mean of their distances to the held-out points, and refuses any other count", () => {
    const blocks = Array.from({length: SCORE_DRAWS}, (_, k) => draw(YARDSTICK.n, rngFromSeed(40 + k)));
    const all = new Float64Array(blocks.reduce((n, b) => n + b.length, 0));
    blocks.forEach((b, k) => all.set(b, k * b.length));
    const mean = blocks.reduce((s, b) => s + yardstick.distance(b), 0) / blocks.length;
    assert.ok(Math.abs(qualityScore(yardstick, all) - mean) < 1e-12, `score ${qualityScore(yardstick, all)} vs mean ${mean}`);
    assert.throws(() => qualityScore(yardstick, blocks[0]), /expected 5 × 2000 points/);
  });

  it("scores the held-out points themselves, repeated, as 0, and a shifted copy as one draw's distance", () => {
    const repeated = new Float64Array(SCORE_DRAWS * yardstick.held.length);
    for (let k = 0; k < SCORE_DRAWS; ++k) repeated.set(yardstick.held, k * yardstick.held.length);
    assert.equal(qualityScore(yardstick, repeated), 0);
    const shifted = repeated.map((v, i) => v + (i % 2 ? 0 : 0.5));
    const one = yardstick.distance(yardstick.held.map((v, i) => v + (i % 2 ? 0 : 0.5)));
    assert.ok(Math.abs(qualityScore(yardstick, shifted) - one) < 1e-12);
  });
});
