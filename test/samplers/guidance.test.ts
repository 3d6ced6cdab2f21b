import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {classMixture, labelledByName} from "../../components/math/labelled.js";
import {classifierGradientAt, conditionalScoreAt, exactClassifier, exactConditionalDenoiser} from "../../components/math/classifier.js";
import {classYardstick, fractionBelow, hdrLevel} from "../../components/math/class-metrics.js";
import {exactDenoiser, sampleMixture} from "../../components/math/mixture.js";
import {slicedWasserstein} from "../../components/math/metrics.js";
import {fillNormal, rngFromSeed} from "../../components/math/random.js";
import {alphaBarAt, makeSchedule} from "../../components/math/schedules.js";
import {classifierFree, classifierGuided, conditioned} from "../../components/samplers/guidance.js";
import {guidanceSweep, guidedPreview, guidedSteps, PREVIEW, type GuidancePoint} from "../../components/samplers/guided-runs.js";
import {measureClass} from "../../components/math/class-metrics.js";
import {collect} from "../../components/samplers/common.js";

const schedule = makeSchedule("cosine", 100);
const xt = fillNormal(new Float64Array(400), rngFromSeed(2)).map((v) => 1.5 * v);
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; ++i) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const sw = (a: Float64Array, b: Float64Array) => slicedWasserstein(a, b, 2, {projections: 128, rng: rngFromSeed(12345)});
const run = async (den: Parameters<typeof guidedSteps>[0], sampler: "ddim" | "ddpm", n: number, seed: number) => (await collect(guidedSteps(den, schedule, sampler, n, seed))).x;

describe("guidance wrappers", () => {
  it("classifier-free ε̃ = (1+w)ε(c) − wε(∅) is, in score form, ∇log q_t(x) + (1+w)∇log q_t(c|x): classifier guidance with s = 1 + w", async () => {
    for (const name of ["ring-modes", "moons"] as const) {
      const lm = labelledByName(name), model = exactConditionalDenoiser(lm, schedule);
      for (const [w, t] of [[0, 50], [3, 20], [10, 5.5], [-0.5, 70]]) {
        const ab = alphaBarAt(schedule, t), c = 1;
        const cfg = await classifierFree(model, {c, w}).eps(xt, t);
        const uncond = conditionalScoreAt(lm, ab, null, xt), grad = classifierGradientAt(lm, ab, c, xt);
        const want = uncond.map((s, i) => -Math.sqrt(1 - ab) * (s + (1 + w) * grad[i]));
        assert.ok(maxDiff(cfg, want) < 1e-9, `${name} w ${w}: ${maxDiff(cfg, want)}`);
        const guided = await classifierGuided(conditioned(model, null), exactClassifier(lm, schedule), schedule, {c, s: 1 + w}).eps(xt, t);
        assert.ok(maxDiff(cfg, guided) < 1e-9, `${name} w ${w}: CFG vs classifier guidance ${maxDiff(cfg, guided)}`);
      }
    }
  });

  it("classifier guidance with the exact classifier: s = 0 is the unconditional model, s = 1 the conditional one", async () => {
    const lm = labelledByName("ring-axes"), model = exactConditionalDenoiser(lm, schedule), classifier = exactClassifier(lm, schedule);
    const at = (s: number) => classifierGuided(conditioned(model, null), classifier, schedule, {c: 0, s}).eps(xt, 30);
    assert.ok(maxDiff(await at(0), await exactDenoiser(lm.mixture, schedule).eps(xt, 30)) < 1e-12);
    assert.ok(maxDiff(await at(1), await exactDenoiser(classMixture(lm, 0), schedule).eps(xt, 30)) < 1e-9);
  });

  it("at w = 0 a CFG run equals a run of the class's own exact denoiser, for DDIM and DDPM (same start, same noise)", async () => {
    const lm = labelledByName("ring-modes"), model = exactConditionalDenoiser(lm, schedule);
    for (const sampler of ["ddim", "ddpm"] as const) {
      const guided = await run(classifierFree(model, {c: 5, w: 0}), sampler, 300, 4);
      const plain = await run(exactDenoiser(classMixture(lm, 5), schedule), sampler, 300, 4);
      assert.ok(maxDiff(guided, plain) < 1e-9, `${sampler}: ${maxDiff(guided, plain)}`);
    }
  });

  it("negative conditioning steers away: the avoided class's share falls from 1/8 to under 1% by w = 3, and the opposite class takes most of it", async () => {
    const lm = labelledByName("ring-modes"), model = exactConditionalDenoiser(lm, schedule), yardstick = classYardstick(lm, 2, 1000, 3);
    const shares: Record<number, Float64Array> = {};
    for await (const p of guidanceSweep({guide: (w) => classifierFree(model, {c: null, w, negative: 2}), schedule, lm, c: 2, yardstick, ws: [0, 3], samplers: ["ddim"], n: 1000, seed: 8})) shares[p.w] = p.shares;
    assert.ok(Math.abs(shares[0][2] - 1 / 8) < 4 * Math.sqrt((1 / 8) * (7 / 8) / 1000), `w 0: ${shares[0][2]}`);
    assert.ok(shares[3][2] < 0.01, `w 3: ${shares[3][2]}`);
    // North (2) avoided: south (6) is the class farthest from it.
    assert.ok(shares[3][6] > 0.5, `south at w 3: ${shares[3][6]}`);
  });

  it("negative conditioning against Gaussian classes leaves the data: at w = 3 every mode moves by w times its distance from the avoided one, so the samples sit near y = −1.41 − 3·2.81", async () => {
    const lm = labelledByName("ring-modes"), model = exactConditionalDenoiser(lm, schedule), level = hdrLevel(lm.mixture, 0.99, rngFromSeed(5));
    for (const sampler of ["ddim", "ddpm"] as const) {
      const x = await run(classifierFree(model, {c: null, w: 3, negative: 2}), sampler, 500, 6);
      const meanY = x.filter((_, i) => i % 2).reduce((a, b) => a + b, 0) / 500;
      assert.ok(meanY < -8.5 && meanY > -10.5, `${sampler}: mean y ${meanY}, predicted ≈ ${-Math.sqrt(1.98) - 3 * 2 * Math.sqrt(1.98)}`);
      assert.ok(fractionBelow(lm.mixture, x, level) > 0.99, `${sampler}: ${fractionBelow(lm.mixture, x, level)} past the data`);
    }
  });

  it("refuses a class out of range, w below −1 and a negative classifier scale", () => {
    const lm = labelledByName("moons"), model = exactConditionalDenoiser(lm, schedule);
    assert.throws(() => classifierFree(model, {c: 2, w: 1}), /class must be null or an integer in 0…1/);
    assert.throws(() => classifierFree(model, {c: 0, w: -1.5}), /w must be a finite number ≥ −1/);
    assert.throws(() => classifierFree(model, {c: 0, w: 1, negative: -1}), /negative class/);
    assert.throws(() => classifierGuided(conditioned(model, null), exactClassifier(lm, schedule), schedule, {c: 0, s: -1}), /scale s/);
  });
});

describe("guided sampling with the exact conditional model", () => {
  it("conditional samples (w = 0) match the class's own distribution: SW within the data-vs-data band, every set, both samplers", async () => {
    const n = 1000;
    for (const name of ["ring-modes", "ring-axes", "moons"] as const) {
      const lm = labelledByName(name), model = exactConditionalDenoiser(lm, schedule), c = 0, cm = classMixture(lm, c);
      // The band: SW between pairs of independent draws of the class (10 pairs), up to its mean + 3 sd:
      // what a perfect sampler scores. On the multi-mode classes it is wide, since each draw's mode counts vary.
      const pairs = Array.from({length: 10}, (_, k) => sw(sampleMixture(cm, n, rngFromSeed(200 + 2 * k)), sampleMixture(cm, n, rngFromSeed(201 + 2 * k))));
      const mean = pairs.reduce((a, b) => a + b, 0) / pairs.length, sd = Math.sqrt(pairs.reduce((a, b) => a + (b - mean) ** 2, 0) / (pairs.length - 1));
      const reference = sampleMixture(cm, n, rngFromSeed(300));
      for (const sampler of ["ddim", "ddpm"] as const) {
        const got = sw(await run(conditioned(model, c), sampler, n, 11), reference);
        assert.ok(got <= mean + 3 * sd, `${name} ${sampler}: SW ${got}, data vs data ${mean} ± ${sd}`);
      }
    }
  });

  it("guidance at w = 3 concentrates DDIM's samples: spread falls below 0.75× its w = 0 value on every set (3 seeds)", async () => {
    for (const name of ["ring-modes", "ring-axes", "moons"] as const) {
      const lm = labelledByName(name), model = exactConditionalDenoiser(lm, schedule);
      for (const seed of [1, 2, 3]) {
        const points: GuidancePoint[] = [];
        for await (const p of guidanceSweep({guide: (w) => classifierFree(model, {c: 0, w}), schedule, lm, c: 0, yardstick: classYardstick(lm, 0, 600, seed + 50), ws: [0, 3], samplers: ["ddim"], n: 600, seed})) points.push(p);
        const [w0, w3] = points;
        assert.equal(w3.shares[0], 1);
        assert.ok(w3.spread < 0.75 * w0.spread, `${name} seed ${seed}: spread ${w0.spread} at w 0, ${w3.spread} at w 3`);
      }
    }
  });

  it("the guided field is no noised distribution's score: at w = 0 DDIM and DDPM agree, at w = 10 on the 8 modes DDIM leaves ≥ 95% of samples past the class's 99% region and DDPM under 5%", async () => {
    const lm = labelledByName("ring-modes"), model = exactConditionalDenoiser(lm, schedule), yardstick = classYardstick(lm, 0, 800, 9);
    const points: GuidancePoint[] = [];
    for await (const p of guidanceSweep({guide: (w) => classifierFree(model, {c: 0, w}), schedule, lm, c: 0, yardstick, ws: [0, 10], samplers: ["ddim", "ddpm"], n: 800, seed: 5})) points.push(p);
    const at = (sampler: string, w: number) => points.find((p) => p.sampler === sampler && p.w === w)!;
    assert.ok(at("ddim", 0).outside < 0.03 && at("ddpm", 0).outside < 0.03, `w 0: ${at("ddim", 0).outside}, ${at("ddpm", 0).outside}`);
    assert.ok(at("ddim", 10).outside >= 0.95, `DDIM w 10: ${at("ddim", 10).outside}`);
    assert.ok(at("ddpm", 10).outside < 0.05, `DDPM w 10: ${at("ddpm", 10).outside}`);
  });

  it("a slider's preview (50 steps on the first eighth of the points) starts where the full run does and lands as it does: DDIM's preview is the full run's first points to 0.05; in-class share within 3 points and spread within 20% (a 125-point estimate) of the full run's, at w = 0 and 3, 3 seeds", async () => {
    const lm = labelledByName("ring-modes"), model = exactConditionalDenoiser(lm, schedule), c = 2, n = 1000;
    const m = Math.round(n * PREVIEW.share), yardstick = classYardstick(lm, c, n, 99);
    for (const seed of [7, 8, 9]) {
      for (const w of [0, 3]) {
        const guide = classifierFree(model, {c, w});
        for (const sampler of ["ddim", "ddpm"] as const) {
          const preview = await guidedPreview(guide, schedule, sampler, n, seed), full = await run(guide, sampler, n, seed);
          assert.equal(preview.length, 2 * m);
          if (sampler === "ddim") assert.ok(maxDiff(preview, full.subarray(0, 2 * m)) < 0.05, `DDIM w ${w}: ${maxDiff(preview, full.subarray(0, 2 * m))}`);
          const p = measureClass(lm, c, preview, yardstick), f = measureClass(lm, c, full, yardstick);
          assert.ok(Math.abs(p.shares[c] - f.shares[c]) <= 0.03, `${sampler} w ${w} seed ${seed}: in class ${p.shares[c]} vs ${f.shares[c]}`);
          assert.ok(Math.abs(p.spread / f.spread - 1) <= 0.2, `${sampler} w ${w} seed ${seed}: spread ${p.spread} vs ${f.spread}`);
        }
      }
    }
  });
});
