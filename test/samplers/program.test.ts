// Every sampler's program (its run written as data, which the device path interprets) yields the
// states of the sampler's own step generator, the reference: same t, σ, NFE, and x, x̂0 to float64
// rounding, with the same start and the same noise draws.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {exactDenoiser, mixtureByName} from "../../components/math/mixture.js";
import {rngFromSeed} from "../../components/math/random.js";
import {makeSchedule, type ScheduleName} from "../../components/math/schedules.js";
import {SAMPLERS, runProgram, type AnySamplerOptions, type SamplerState, type SamplerSteps} from "../../components/samplers/index.js";
import {startNoise} from "../../components/samplers/sampling-plan.js";
import {maxAbsDiff} from "../arrays.js";

async function states(steps: SamplerSteps): Promise<SamplerState[]> {
  const out: SamplerState[] = [];
  for await (const s of steps) out.push(s);
  return out;
}


/** Option sets that reach every branch: DDIM with η > 0 draws noise, DDPM with β, a short Heun, a fractional Karras grid. */
const CASES: [string, Partial<AnySamplerOptions>][] = [
  ["ddpm", {steps: 20}], ["ddpm", {steps: 7, variance: "beta"}],
  ["ddim", {steps: 10}], ["ddim", {steps: 6, eta: 0.7}], ["ddim", {steps: 5, spacing: "karras"}],
  ["euler", {steps: 12}], ["heun", {steps: 6}], ["heun", {steps: 1}],
  ["dpm-solver++", {steps: 8}], ["dpm-solver++", {steps: 1}], ["dpm-solver++", {steps: 5, spacing: "trailing"}],
  ["langevin", {steps: 30, delta: 2e-3, t: 3}], ["annealed-langevin", {steps: 40, levels: 4, delta: 2e-5}],
];

describe("SamplerEntry.program run by runProgram", () => {
  const mixture = mixtureByName("ring");
  for (const scheduleName of ["linear", "cosine"] as ScheduleName[]) {
    const schedule = makeSchedule(scheduleName, 100);
    const exact = exactDenoiser(mixture, schedule);
    for (const [name, patch] of CASES) {
      it(`yields ${name}'s states (${JSON.stringify(patch)}, ${scheduleName}) to float64 rounding`, async () => {
        const entry = SAMPLERS.find((e) => e.name === name)!;
        const options = (seed: number): AnySamplerOptions => ({steps: 1, ...patch, rng: rngFromSeed(seed)});
        const xT = startNoise(300, 11);
        const reference = await states(entry.steps(exact, schedule, xT, options(5)));
        const opts = options(5);
        const viaProgram = await states(runProgram(exact, entry.program(schedule, opts), xT, opts.rng));
        assert.equal(viaProgram.length, reference.length);
        assert.equal(viaProgram.at(-1)!.nfe, entry.nfe(patch.steps!));
        reference.forEach((r, k) => {
          const p = viaProgram[k];
          assert.deepEqual([p.i, p.steps, p.nfe], [r.i, r.steps, r.nfe], `state ${k}`);
          assert.ok(Math.abs(p.t - r.t) < 1e-12 && Math.abs(p.sigma - r.sigma) <= 1e-12 * r.sigma, `state ${k}: t ${p.t} vs ${r.t}, σ ${p.sigma} vs ${r.sigma}`);
          // States are O(1) (x_T ~ N(0, I)); float64 sums in another order err by ~1e-15 (measured ≤ 7e-14,
          // the cosine schedule's 1/√ᾱ_{T−1} ≈ 60 amplifying x̂0). A wrong coefficient errs by ≥ 1e-3.
          assert.ok(maxAbsDiff(p.x, r.x) < 1e-10, `state ${k}: x differs by ${maxAbsDiff(p.x, r.x)}`);
          if (r.x0) assert.ok(maxAbsDiff(p.x0!, r.x0) < 1e-10, `state ${k}: x̂0 differs by ${maxAbsDiff(p.x0!, r.x0)}`);
          else assert.equal(p.x0, null);
        });
      });
    }
  }

  it("a program that draws noise refuses to run without an rng", () => {
    const schedule = makeSchedule("linear", 100);
    const entry = SAMPLERS.find((e) => e.name === "ddpm")!;
    assert.throws(() => runProgram(exactDenoiser(mixture, schedule), entry.program(schedule, {steps: 5}), startNoise(10, 1)), /options.rng is required/);
  });
});
