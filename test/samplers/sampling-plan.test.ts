// The Sampling chapter's run settings: which samplers, step clamping to the schedule, options, x_T.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {CHAPTER_SAMPLERS, SAMPLER_COLORS, chapterSamplers, clampSteps, countOutside, defaultSteps, evenlySpaced, maxSteps, runOptions, startNoise} from "../../components/samplers/sampling-plan.js";
import {makeSchedule} from "../../components/math/schedules.js";
import {samplerByName} from "../../components/samplers/index.js";
import {exactDenoiser, mixtureByName} from "../../components/math/mixture.js";

const shipped = makeSchedule("cosine", 100);

describe("sampling-plan", () => {
  it("chapterSamplers lists the five grid and ODE samplers, each with a colour, and no Langevin chain", () => {
    assert.deepEqual(chapterSamplers().map((e) => e.name), ["ddpm", "ddim", "euler", "heun", "dpm-solver++"]);
    for (const name of CHAPTER_SAMPLERS) assert.match(SAMPLER_COLORS[name], /^#[0-9a-f]{6}$/);
  });

  it("clampSteps turns DDPM's customary 1000 steps into T = 100 on the shipped schedule, and says so", () => {
    const ddpm = samplerByName("ddpm");
    assert.equal(maxSteps(shipped), 100);
    const {steps, note} = clampSteps(ddpm, ddpm.defaultSteps, shipped);
    assert.equal(steps, 100);
    assert.match(note!, /at most T = 100/);
    assert.equal(defaultSteps(ddpm, shipped), 100);
    assert.equal(defaultSteps(samplerByName("dpm-solver++"), shipped), 20);
  });

  it("clampSteps keeps counts in range, rounds fractions and lifts zero to one step", () => {
    const ddim = samplerByName("ddim");
    assert.deepEqual(clampSteps(ddim, 37, shipped), {steps: 37, note: null});
    assert.deepEqual(clampSteps(ddim, 36.6, shipped), {steps: 37, note: null});
    assert.equal(clampSteps(ddim, 0, shipped).steps, 1);
    assert.equal(clampSteps(ddim, NaN, shipped).steps, ddim.defaultSteps);
  });

  it("every chapter sampler runs at every clamped count from 1 to T on the shipped schedule with NFE = nfe(steps)", async () => {
    // The clamp is only useful if nothing inside it throws: DDPM/DDIM grids need steps ≤ T, Heun
    // at one step must skip its corrector, DPM-Solver++'s Karras grid must stay strictly decreasing.
    const den = exactDenoiser(mixtureByName("ring"), shipped);
    for (const entry of chapterSamplers()) {
      for (const requested of [1, 2, 7, 100, 1000]) {
        const {steps} = clampSteps(entry, requested, shipped);
        const r = await entry.run(den, shipped, startNoise(4, 1), runOptions({steps, eta: 0.5, variance: "beta", seed: 1}));
        assert.equal(r.nfe, entry.nfe(steps), `${entry.name} at ${steps} steps`);
        assert.ok(r.x.every(Number.isFinite), `${entry.name} at ${steps} steps gave non-finite samples`);
      }
    }
  });

  it("runOptions gives a fresh rng each time, so the same settings repeat a stochastic run exactly", async () => {
    const den = exactDenoiser(mixtureByName("ring"), shipped);
    const ddpm = samplerByName("ddpm");
    const settings = {steps: 10, eta: 0, variance: "betaTilde" as const, seed: 3};
    const a = await ddpm.run(den, shipped, startNoise(50, 3), runOptions(settings));
    const b = await ddpm.run(den, shipped, startNoise(50, 3), runOptions(settings));
    const c = await ddpm.run(den, shipped, startNoise(50, 3), runOptions({...settings, seed: 4}));
    assert.deepEqual(a.x, b.x);
    assert.notDeepEqual(a.x, c.x);
  });

  it("startNoise draws the same x_T for a seed, with mean ≈ 0 and variance ≈ 1 (4 s.e.)", () => {
    const x = startNoise(5000, 9);
    assert.deepEqual(x, startNoise(5000, 9));
    const n = x.length, mean = x.reduce((s, v) => s + v, 0) / n, v = x.reduce((s, u) => s + (u - mean) ** 2, 0) / n;
    assert.ok(Math.abs(mean) < 4 / Math.sqrt(n), `mean ${mean}`);
    assert.ok(Math.abs(v - 1) < 4 * Math.sqrt(2 / n), `variance ${v}`);
  });

  it("evenlySpaced picks distinct indices spread over the range, and all of them when k ≥ n", () => {
    assert.deepEqual(evenlySpaced(10, 5), [1, 3, 5, 7, 9]);
    assert.deepEqual(evenlySpaced(3, 10), [0, 1, 2]);
    const i = evenlySpaced(2000, 40);
    assert.equal(new Set(i).size, 40);
    assert.ok(i[0] >= 0 && i[39] < 2000);
  });

  it("countOutside counts points beyond the square, on its edge counting as inside, and NaN as outside", () => {
    assert.equal(countOutside(Float64Array.of(0, 0, 3, -3, 3.01, 0, 0, -4, NaN, 0), 3), 3);
  });
});
