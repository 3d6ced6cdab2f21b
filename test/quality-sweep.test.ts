// Quality against NFE on the exact mixture denoiser: the numbers the chapter's chart plots.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {dataBaseline, qualitySweep, sweepSteps, swTo, type SweepPoint} from "../components/quality-sweep.js";
import {makeSchedule} from "../components/schedules.js";
import {samplerByName} from "../components/samplers/index.js";
import {exactDenoiser, mixtureByName} from "../components/mixture.js";
import {sampleDataset} from "../components/datasets.js";
import {rngFromSeed} from "../components/random.js";
import {chapterSamplers, startNoise} from "../components/sampling-plan.js";

const schedule = makeSchedule("cosine", 100);
const den = exactDenoiser(mixtureByName("ring"), schedule);
const reference = sampleDataset("ring", 1000, rngFromSeed(1000));
const score = swTo(reference, {projections: 64, seed: 5});
const baseline = dataBaseline((k) => sampleDataset("ring", 1000, rngFromSeed(2000 + k)), score);

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
});
