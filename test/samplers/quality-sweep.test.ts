// Quality against NFE on the exact mixture denoiser: the numbers the chapter's chart plots.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {dataBaseline, modeWidth, qualitySweep, rmsDistance, sweepSteps, swTo, type SweepPoint} from "../../components/samplers/quality-sweep.js";
import {makeSchedule} from "../../components/math/schedules.js";
import {samplerByName} from "../../components/samplers/index.js";
import {exactDenoiser, mixtureByName} from "../../components/math/mixture.js";
import {RING, sampleDataset} from "../../components/math/datasets.js";
import {rngFromSeed} from "../../components/math/random.js";
import {chapterSamplers, startNoise} from "../../components/samplers/sampling-plan.js";

const schedule = makeSchedule("cosine", 100);
const den = exactDenoiser(mixtureByName("ring"), schedule);
const reference = sampleDataset("ring", 1000, rngFromSeed(1000));
const score = swTo(reference, {projections: 64, seed: 5});
const baseline = await dataBaseline((k) => sampleDataset("ring", 1000, rngFromSeed(2000 + k)), score);

describe("quality-sweep", () => {
  it("sweepSteps caps every ladder at NFE ≤ T: Heun stops at 50 steps (99 NFE), the others at 100", () => {
    assert.deepEqual(sweepSteps(samplerByName("heun"), schedule), [1, 2, 3, 5, 10, 20, 50]);
    assert.deepEqual(sweepSteps(samplerByName("ddpm"), schedule), [1, 2, 3, 5, 10, 20, 50, 100]);
    assert.deepEqual(sweepSteps(samplerByName("ddim"), makeSchedule("cosine", 40)), [1, 2, 3, 5, 10, 20]);
  });

  it("swTo scores with the same directions every call: 0 for the reference itself, repeatable otherwise", () => {
    assert.equal(score(reference), 0);
    const other = sampleDataset("ring", 1000, rngFromSeed(3));
    assert.equal(score(other), score(other));
  });

  it("dataBaseline of two 1,000-point samples of the 8-Gaussian ring is a few hundredths, not zero", () => {
    // SW₂ between two empirical samples shrinks like n^(−1/2); at n = 1000 it measured 0.065–0.11 over
    // ten seeds. A floor below 0.03 or above 0.2 would mean the reference or the scores are wrong.
    assert.ok(baseline > 0.03 && baseline < 0.2, `baseline ${baseline}`);
  });

  it("qualitySweep: exact DPM-Solver++ at 20 steps is within 2× the data floor, one-step DDPM is > 5× it, NFE = nfe(steps)", async () => {
    const points: SweepPoint[] = [];
    const samplers = ["ddpm", "dpm-solver++"].map(samplerByName);
    for await (const p of qualitySweep({samplers, denoiser: den, schedule, xT: startNoise(1000, 7), score, seed: 7})) points.push(p);
    assert.deepEqual(points.map((p) => `${p.sampler}:${p.steps}`), [
      ...[1, 2, 3, 5, 10, 20, 50, 100].map((s) => `ddpm:${s}`),
      ...[1, 2, 3, 5, 10, 20, 50, 100].map((s) => `dpm-solver++:${s}`),
    ]);
    for (const p of points) assert.equal(p.nfe, samplerByName(p.sampler).nfe(p.steps));
    const at = (sampler: string, steps: number) => points.find((p) => p.sampler === sampler && p.steps === steps)!.value;
    assert.ok(at("dpm-solver++", 20) < 2 * baseline, `DPM-Solver++ 20 steps: ${at("dpm-solver++", 20)} vs floor ${baseline}`);
    // One DDPM step from pure noise returns E[x0 | x_T] ≈ the data mean: every sample at the origin.
    assert.ok(at("ddpm", 1) > 5 * baseline, `DDPM 1 step: ${at("ddpm", 1)}`);
    // More steps help DDPM, and 100 of them reach the floor (stochastic, so within 2×).
    assert.ok(at("ddpm", 100) < at("ddpm", 3) && at("ddpm", 100) < 2 * baseline);
  });

  it("qualitySweep marks a run that blew up as NaN instead of scoring infinities", async () => {
    const wild = {d: 2, eps: async (xt: Float64Array) => xt.map(() => Infinity)};
    const points: SweepPoint[] = [];
    for await (const p of qualitySweep({samplers: [samplerByName("ddim")], denoiser: wild, schedule, xT: startNoise(10, 1), score, maxNfe: 2})) points.push(p);
    assert.deepEqual(points.map((p) => p.value), [NaN, NaN]);
  });

  it("qualitySweep stops without another point once its signal aborts", async () => {
    const controller = new AbortController();
    const points: SweepPoint[] = [];
    for await (const p of qualitySweep({samplers: chapterSamplers(), denoiser: den, schedule, xT: startNoise(100, 1), score, signal: controller.signal})) {
      points.push(p);
      if (points.length === 3) controller.abort();
    }
    assert.equal(points.length, 3);
  });

  it("rmsDistance is the root-mean-square distance between matched points", () => {
    // Two points moved by (3, 4) and (0, 0): √((25 + 0)/2).
    assert.equal(rmsDistance(Float64Array.of(0, 0, 1, 1), Float64Array.of(3, 4, 1, 1)), Math.sqrt(12.5));
    assert.throws(() => rmsDistance(Float64Array.of(0, 0), Float64Array.of(0, 0, 1, 1)), /do not match/);
  });

  it("modeWidth of ring data is its mode std 0.1 (within 5% at 4,000 points) and 0 at the centres", () => {
    const means = mixtureByName("ring").means;
    // Per-coordinate rms distance to the own centre is the std; 8000 squared normals give a relative
    // s.e. of √(2/8000)/2 ≈ 0.8%, and nearest-centre assignment is never wrong at 14 std apart.
    const w = modeWidth(sampleDataset("ring", 4000, rngFromSeed(8)), means);
    assert.ok(Math.abs(w / RING.std - 1) < 0.05, `width ${w}`);
    assert.equal(modeWidth(Float64Array.from(means.flat()), means), 0);
  });

  it("deterministic samplers converge to the ODE's endpoint at their order: Euler error ~1/NFE, DPM-Solver++ ~1/NFE²", async () => {
    // Reference: Heun with 400 steps from the same x_T. Between 20 and 50 steps a first-order method's
    // endpoint error should shrink ~2.5× and a second-order one's ~6×; measured 2.7× and 5.6–7.2× over three seeds.
    const xT = startNoise(300, 3);
    const ref = (await samplerByName("heun").run(den, schedule, xT, {steps: 400})).x;
    const err = async (name: string, steps: number) => rmsDistance((await samplerByName(name).run(den, schedule, xT, {steps})).x, ref);
    const euler = (await err("euler", 20)) / (await err("euler", 50));
    const dpm = (await err("dpm-solver++", 20)) / (await err("dpm-solver++", 50));
    assert.ok(euler > 1.8 && euler < 3.5, `Euler error ratio 20→50 steps: ${euler}`);
    assert.ok(dpm > 4, `DPM-Solver++ error ratio 20→50 steps: ${dpm}`);
  });
});
