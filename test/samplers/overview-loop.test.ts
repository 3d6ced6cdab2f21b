// The Overview's loop: forward frames are the closed form of one ε, the reverse pass starts where
// the forward one ends and lands on the ring, and the next cycle starts where the reverse one ends.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {covFromAxes, mixtureByName, noiseMixture, sampleMixture} from "../../components/math/mixture.js";
import {rngFromSeed} from "../../components/math/random.js";
import {alphaBarAfter, makeSchedule} from "../../components/math/schedules.js";
import {componentEllipses, describeFrame, directionPhrase, overviewLoop, type LoopFrame, type LoopOptions} from "../../components/samplers/overview-loop.js";

const ring = mixtureByName("ring");
const schedule = makeSchedule("cosine", 1000);
const n = 2000;

async function frames(options: Partial<LoopOptions> = {}): Promise<LoopFrame[]> {
  const out: LoopFrame[] = [];
  for await (const f of overviewLoop({mixture: ring, schedule, n, rng: rngFromSeed(5), cycles: 1, ...options})) out.push(f);
  return out;
}

const forward = (fs: LoopFrame[], cycle = 0) => fs.filter((f) => f.cycle === cycle && f.direction === "forward");
const reverse = (fs: LoopFrame[], cycle = 0) => fs.filter((f) => f.cycle === cycle && f.direction === "reverse");
const distinct = (fs: LoopFrame[]) => fs.filter((f, i) => f !== fs[i - 1]);

/** Fraction of points within 0.4 (4 std) of a ring mean, and each mode's share of them. */
function onRing(x: Float64Array): {near: number; shares: number[]} {
  const counts = new Array(ring.means.length).fill(0);
  let near = 0;
  for (let i = 0; i < x.length; i += 2) {
    let best = Infinity, k = -1;
    ring.means.forEach(([mx, my], j) => {
      const d = Math.hypot(x[i] - mx, x[i + 1] - my);
      if (d < best) [best, k] = [d, j];
    });
    if (best < 0.4) (near++, counts[k]++);
  }
  return {near: near / (x.length / 2), shares: counts.map((c) => c / Math.max(1, near))};
}

describe("overviewLoop", () => {
  it("starts on a draw from the mixture and noises it forward in closed form, k = 0 → T", async () => {
    const fs = distinct(forward(await frames({forwardFrames: 10, reverseSteps: 5})));
    assert.deepEqual(fs.map((f) => f.k), [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    assert.deepEqual(fs[0].x, sampleMixture(ring, n, rngFromSeed(5)), "first frame is the data itself");
    for (const f of fs) assert.equal(f.alphaBar, alphaBarAfter(schedule, f.k));
    // One ε for the whole pass: (x_k − √ᾱ_k·x0)/√(1−ᾱ_k) is the same array at every k > 0.
    const x0 = fs[0].x;
    const epsAt = (f: LoopFrame) => f.x.map((v, i) => (v - Math.sqrt(f.alphaBar) * x0[i]) / Math.sqrt(1 - f.alphaBar));
    const e3 = epsAt(fs[3]), e8 = epsAt(fs[8]);
    for (let i = 0; i < e3.length; ++i) assert.ok(Math.abs(e3[i] - e8[i]) < 1e-9, `ε differs at ${i}`);
    // …and it is standard normal: mean 0 ± 0.05, variance 1 ± 0.05 over 4,000 coordinates.
    const mean = e3.reduce((a, b) => a + b, 0) / e3.length;
    const variance = e3.reduce((a, b) => a + (b - mean) ** 2, 0) / e3.length;
    assert.ok(Math.abs(mean) < 0.05 && Math.abs(variance - 1) < 0.05, `mean ${mean}, variance ${variance}`);
  });

  it("starts the reverse pass on the forward pass's last cloud and counts k down T → 0", async () => {
    const fs = await frames({forwardFrames: 20, reverseSteps: 25});
    const back = distinct(reverse(fs));
    assert.equal(back.length, 26, "the start plus one frame per DDIM step");
    assert.deepEqual(back[0].x, forward(fs).at(-1)!.x);
    assert.equal(back[0].k, 1000);
    assert.equal(back.at(-1)!.k, 0);
    for (let i = 1; i < back.length; ++i) assert.ok(back[i].k < back[i - 1].k, `k rises at step ${i}`);
    assert.deepEqual(back.map((f) => f.step), back.map((_, i) => i));
  });

  it("holds the noise and the data for the asked number of extra frames, as the same object", async () => {
    const fs = await frames({forwardFrames: 4, reverseSteps: 3, holdNoise: 7, holdData: 11});
    assert.equal(fs.length, 5 + 7 + 4 + 11);
    assert.ok(fs.slice(4, 12).every((f) => f === fs[4]));
    assert.ok(fs.slice(15).every((f) => f === fs[15]));
  });

  it("DDIM on the exact denoiser lands 2,000 points on the ring, every mode near its 1/8 share", async () => {
    const end = reverse(await frames()).at(-1)!.x;
    const {near, shares} = onRing(end);
    // Exact samples put 99.97% within 4 std; a DDIM grid this fine loses almost nothing.
    assert.ok(near > 0.98, `only ${(100 * near).toFixed(1)}% of points near a mode`);
    // Multinomial share of 2,000 points: std √(1/8·7/8/2000) ≈ 0.0074; ±0.035 is ~4.7 std.
    for (const s of shares) assert.ok(Math.abs(s - 1 / 8) < 0.035, `mode share ${s}`);
  });

  it("is deterministic given the seed", async () => {
    const a = await frames({forwardFrames: 6, reverseSteps: 6}), b = await frames({forwardFrames: 6, reverseSteps: 6});
    assert.deepEqual(a.map((f) => f.x), b.map((f) => f.x));
  });

  it("noises the reverse pass's samples with fresh ε in the next cycle (seamless, never repeating)", async () => {
    const fs = await frames({forwardFrames: 8, reverseSteps: 8, cycles: 2});
    const firstEnd = reverse(fs, 0).at(-1)!, next = forward(fs, 1);
    assert.equal(next[0].x, firstEnd.x, "cycle 1 starts on cycle 0's samples");
    assert.notDeepEqual(next[4].x, forward(fs, 0)[4].x);
  });

  it("describes each frame with its direction, t and ᾱ for the canvas's text alternative", async () => {
    const fs = distinct(await frames({forwardFrames: 2, reverseSteps: 2}));
    assert.deepEqual(fs.map((f) => directionPhrase(f, 1000)),
      ["data", "forward: adding noise", "pure noise", "reverse: removing noise", "reverse: removing noise", "back to data: new samples"]);
    assert.equal(describeFrame(fs[1], {T: 1000, n}),
      `2,000 points of the 8-Gaussian ring being noised forward in closed form; t = 500 of 1000, signal kept ᾱ = ${alphaBarAfter(schedule, 500).toPrecision(2)}`);
    assert.match(describeFrame(fs.at(-1)!, {T: 1000, n}), /back to the 8-Gaussian ring by DDIM .*t = 0 of 1000, signal kept ᾱ = 1\.0$/);
  });

  it("rejects a forward pass of no frames", async () => {
    await assert.rejects(frames({forwardFrames: 0}), RangeError);
  });
});

describe("componentEllipses", () => {
  it("draws each noised ring component as a circle of radius k·√(ᾱσ² + 1 − ᾱ) at √ᾱ·μ", () => {
    const alphaBar = 0.3, qt = noiseMixture(ring, alphaBar), es = componentEllipses(qt, 2);
    assert.equal(es.length, 8);
    es.forEach((e, j) => {
      const r = 2 * Math.sqrt(alphaBar * 0.01 + 1 - alphaBar);
      assert.ok(Math.abs(e.rx - r) < 1e-12 && Math.abs(e.ry - r) < 1e-12, `component ${j}: ${e.rx}, ${e.ry} vs ${r}`);
      assert.ok(Math.abs(e.cx - Math.sqrt(alphaBar) * ring.means[j][0]) < 1e-12 && Math.abs(e.cy - Math.sqrt(alphaBar) * ring.means[j][1]) < 1e-12);
    });
  });

  it("recovers the axes and angle of a rotated covariance (covFromAxes is the independent reference)", () => {
    for (const angle of [0.3, -1.1, 1.4]) {
      const [e] = componentEllipses({weights: [1], means: [[0.5, -1]], covs: [covFromAxes(0.6, 0.15, angle)]}, 1);
      assert.ok(Math.abs(e.rx - 0.6) < 1e-12 && Math.abs(e.ry - 0.15) < 1e-12, `axes ${e.rx}, ${e.ry}`);
      // An axis is a direction: angles equal modulo π.
      const d = Math.abs(((e.angle - angle) % Math.PI + Math.PI) % Math.PI);
      assert.ok(Math.min(d, Math.PI - d) < 1e-12, `angle ${e.angle} vs ${angle}`);
    }
  });
});
