// DDPM with a variance rule (Analytic-DPM's optimal σ², Bao et al. 2022) and the chapter's variance
// comparison: rules plug into the sampler, the optimal variance keeps Gaussian data's marginals exact
// where β̃ and β do not, and the sweep scores every choice from the same starts.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {analyticVarianceRule} from "../../components/math/analytic-dpm.js";
import {posteriorBetween} from "../../components/math/forward.js";
import {exactDenoiser, mixtureByName, type Mixture} from "../../components/math/mixture.js";
import {rngFromSeed} from "../../components/math/random.js";
import {makeSchedule} from "../../components/math/schedules.js";
import {ddpm, timesteps} from "../../components/samplers/index.js";
import {startNoise} from "../../components/samplers/sampling-plan.js";
import {varianceCurves, varianceSweep} from "../../components/samplers/variance-sweep.js";

const schedule = makeSchedule("cosine", 1000);

describe("ddpm with a variance rule", () => {
  it("draws exactly what the named variance draws when the rule returns the same σ²", async () => {
    const den = exactDenoiser(mixtureByName("ring"), schedule), xT = startNoise(200, 3);
    const named = await ddpm(den, schedule, xT, {steps: 7, variance: "betaTilde", rng: rngFromSeed(4)});
    const ruled = await ddpm(den, schedule, xT, {steps: 7, variance: (t, s) => posteriorBetween(t, s).variance, rng: rngFromSeed(4)});
    assert.deepEqual(ruled.x, named.x);
  });

  it("rejects a rule that returns a negative or non-finite σ², naming the step", async () => {
    const den = exactDenoiser(mixtureByName("ring"), schedule);
    await assert.rejects(ddpm(den, schedule, {n: 4}, {steps: 3, variance: () => NaN, rng: rngFromSeed(1)}), /variance rule gave σ² = NaN/);
  });

  it("with the optimal variance keeps Gaussian data's marginal exact before the last step; β̃ narrows it, β widens it", async () => {
    // Data N(0, s²I), s² = 0.25: every reverse step is Gaussian with variance σ*², so the state before
    // DDPM's final (noiseless) step has per-axis variance ᾱs² + 1 − ᾱ exactly. 5 standard errors
    // (√(2/2n) relative, n points × 2 axes) bound the check.
    const data: Mixture = {weights: [1], means: [[0, 0]], covs: [[0.25, 0, 0.25]]}, n = 20_000, steps = 4;
    const t1 = timesteps(schedule.T, steps).at(-1)!, ab = schedule.alphaBar[t1], want = 0.25 * ab + 1 - ab, se = want * Math.sqrt(1 / n);
    const before = async (variance: Parameters<typeof ddpm>[3]["variance"]) => {
      const r = await ddpm(exactDenoiser(data, schedule), schedule, startNoise(n, 8), {steps, variance, rng: rngFromSeed(9), trajectory: true});
      const x = r.trajectory!.x[steps - 1];
      return x.reduce((sum, v) => sum + v * v, 0) / x.length;
    };
    const optimal = await before(analyticVarianceRule(data)), tilde = await before("betaTilde"), beta = await before("beta");
    assert.ok(Math.abs(optimal - want) < 5 * se, `optimal: ${optimal} vs ${want} ± ${se}`);
    assert.ok(tilde < want - 10 * se, `β̃: ${tilde} is not below ${want}`);
    assert.ok(beta > want + 10 * se, `β: ${beta} is not above ${want}`);
  });
});

describe("varianceCurves", () => {
  it("gives β ≥ σ*² ≥ β̃ on the ring for steps of T/steps timesteps from t spread over the schedule", async () => {
    const rule = analyticVarianceRule(mixtureByName("ring"));
    const coarse = await varianceCurves(schedule, 5, rule, {points: 30});
    assert.equal(coarse.stride, 200);
    assert.equal(coarse.t.length, 30);
    assert.deepEqual([coarse.t[0], coarse.t.at(-1)], [200, 999]);
    const fine = await varianceCurves(schedule, 1000, rule, {points: 30});
    for (const c of [coarse, fine]) {
      c.t.forEach((t, i) => {
        const abT = schedule.alphaBar[t], abS = t - c.stride < 0 ? 1 : schedule.alphaBar[t - c.stride];
        assert.ok(Math.abs(c.beta[i] - (1 - abT / abS)) < 1e-12, `β at t=${t}`);
        assert.ok(c.betaTilde[i] <= c.rule[i] && c.rule[i] <= c.beta[i] * (1 + 1e-9) && c.rule[i] <= c.upper[i], `t=${t}`);
      });
    }
  });
});

describe("varianceSweep", () => {
  it("scores every choice at every step count over the seeds, from the same starts", async () => {
    const m = mixtureByName("two-modes"), points = [];
    for await (const p of varianceSweep({
      denoiser: exactDenoiser(m, schedule), schedule, n: 100, seeds: [1, 2, 3], steps: [1, 3], score: (x) => x[0],
      choices: [{key: "beta", label: "β", variance: "beta"}, {key: "tilde", label: "β̃", variance: "betaTilde"}],
    })) points.push(p);
    assert.deepEqual(points.map((p) => `${p.key}:${p.steps}`), ["beta:1", "tilde:1", "beta:3", "tilde:3"]);
    // One step draws no noise, so both choices land on the same points.
    assert.deepEqual(points[0].values, points[1].values);
    assert.notDeepEqual(points[2].values, points[3].values);
    const {values, mean, sd} = points[2];
    assert.ok(Math.abs(mean - (values[0] + values[1] + values[2]) / 3) < 1e-15);
    assert.ok(Math.abs(sd - Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / 2)) < 1e-15);
  });
});
