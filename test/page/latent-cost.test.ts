// /latent's pixel-against-latent comparison: a model's training time is its steps times the
// measured ms per step (the latent model's autoencoder steps included), and the verdict compares the
// fully trained latent model with the cheapest pixel model that reads prompts at least as well.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {costRows, equalQuality} from "../../components/page/latent-cost.js";

const cost = {autoencoder: {msPerStep: 10}, latent: {msPerStep: 20, msPerImage: 5}, pixel: {msPerStep: 30, msPerImage: 4}};
const point = (steps: number, train: number) => ({steps, train, heldOut: train - 0.05, shape: train / 2});

describe("pixel against latent at equal quality", () => {
  it("charges the latent model its autoencoder steps and each model its own ms per step", () => {
    const rows = costRows(cost, {latent: [point(1000, 0.8), point(2000, 0.9)], pixel: [point(2000, 0.6)]}, 800);
    assert.deepEqual(rows.map((r) => [r.space, r.seconds]), [["latent", (800 * 10 + 1000 * 20) / 1000], ["latent", (800 * 10 + 2000 * 20) / 1000], ["pixel", 2000 * 30 / 1000]]);
    assert.deepEqual(rows.map((r) => r.autoencoderSteps), [800, 800, 0]);
  });

  it("picks the first pixel model at least as good as the last latent one, with the ratio of training times", () => {
    const rows = costRows(cost, {latent: [point(2000, 0.85)], pixel: [point(2000, 0.7), point(4000, 0.86), point(6000, 0.9)]}, 800);
    const v = equalQuality(rows)!;
    assert.equal(v.matched, true);
    assert.equal(v.pixel.steps, 4000);
    assert.equal(v.timeRatio, (4000 * 30) / (800 * 10 + 2000 * 20));
  });

  it("falls back to the longest-trained pixel model when none catches up, and says so", () => {
    const rows = costRows(cost, {latent: [point(2000, 0.85)], pixel: [point(2000, 0.6), point(6000, 0.8)]}, 800);
    const v = equalQuality(rows)!;
    assert.equal(v.matched, false);
    assert.equal(v.pixel.steps, 6000);
  });

  it("gives no verdict without both curves (a weights file from before the curve was measured)", () => {
    assert.equal(equalQuality(costRows(cost, {latent: [], pixel: []}, 800)), null);
    assert.equal(equalQuality(costRows(cost, {latent: [point(2000, 0.85)], pixel: []}, 800)), null);
  });
});
