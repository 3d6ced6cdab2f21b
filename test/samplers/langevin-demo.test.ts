// The Score chapter's Langevin demo: the stable step sizes it warns with are the closed-form bound,
// and the annealed chain really stays bounded below it and diverges above it.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {mixtureByName} from "../../components/math/mixture.js";
import {makeSchedule} from "../../components/math/schedules.js";
import {langevinPair, narrowestVariance, stableDelta} from "../../components/samplers/langevin-demo.js";
import type {SamplerSteps} from "../../components/samplers/common.js";

const schedule = makeSchedule("linear", 1000);

const largest = (x: Float64Array) => x.reduce((m, v) => Math.max(m, Number.isFinite(v) ? Math.abs(v) : Infinity), 0);

/** The largest |coordinate| a chain reaches over all its states (Infinity once one is not finite), and at its end. */
async function reach(states: SamplerSteps): Promise<{ever: number; end: number}> {
  let ever = 0, end = 0;
  for await (const {x} of states) ever = Math.max(ever, (end = largest(x)));
  return {ever, end};
}

describe("langevin-demo", () => {
  it("narrowestVariance is the smallest eigenvalue of ᾱΣ_k + (1 − ᾱ)I over the components", () => {
    // A covariance [[2, 1], [1, 2]] has eigenvalues 1 and 3; [[0.5, 0], [0, 4]] has 0.5 and 4.
    const m = {weights: [1, 1], means: [[0, 0], [1, 1]] as [number, number][], covs: [[2, 1, 2], [0.5, 0, 4]] as [number, number, number][]};
    assert.ok(Math.abs(narrowestVariance(m, 1) - 0.5) < 1e-12);
    assert.ok(Math.abs(narrowestVariance(m, 0.5) - (0.5 * 0.5 + 0.5)) < 1e-12);
  });

  it("the plain chain's limit is 4(ᾱσ_k² + 1 − ᾱ) at σ_t = 0.1; the annealed one's first steps are ~1/(1 − ᾱ) times δ on a q_t of variance ~1, so its limit is ~4(1 − ᾱ)", () => {
    const ab = 1 / 1.01; // σ = √((1−ᾱ)/ᾱ) = 0.1
    const {plain, annealed, firstStep} = stableDelta(mixtureByName("ring"), schedule);
    // timestepForSigma interpolates between integer steps, so σ_t is 0.1 to within ~1%; at the first
    // level (σ = 80) ᾱ = 1/6401, so its variance and its 1 − ᾱ are 1 to within 2e-4.
    assert.ok(Math.abs(plain - 4 * (ab * 0.01 + 1 - ab)) < 0.01 * plain, `plain ${plain}`);
    assert.ok(Math.abs(firstStep - 1 / (1 - ab)) < 0.02 * firstStep, `first level's steps are ${firstStep} × δ`);
    assert.ok(Math.abs(annealed - 4 * (1 - ab)) < 0.02 * annealed, `annealed ${annealed}`);
  });

  it("the annealed chain stays bounded just below its limit and ends on the data; just above it, it diverges (two modes, 500 steps)", async () => {
    const twoModes = mixtureByName("two-modes"), {annealed} = stableDelta(twoModes, schedule);
    const below = await reach(langevinPair(twoModes, schedule, {steps: 500, delta: 0.9 * annealed, n: 200}).annealed);
    const above = await reach(langevinPair(twoModes, schedule, {steps: 500, delta: 1.3 * annealed, n: 200}).annealed);
    // Stable but coarse, the first level's spread is √(v/(1 − α/4v)) ≈ 3.2 standard deviations at
    // α = 0.9·4v: the particles wander ~15 out before the finer levels pull them in.
    assert.ok(below.ever < 50 && below.end < 3, `below the limit particles reached ${below.ever} and ended within ${below.end}`);
    assert.ok(above.ever > 1e3, `above the limit particles reached only ${above.ever}`);
  });
});
