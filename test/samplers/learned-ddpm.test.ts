import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {learnedDdpmSteps, meanLearnedVariance, type VarianceDenoiser} from "../../components/samplers/learned-ddpm.js";
import {ddpm} from "../../components/samplers/ddpm.js";
import {collect} from "../../components/samplers/common.js";
import {varianceGap, varianceSweep} from "../../components/samplers/variance-sweep.js";
import {exactDenoiser, mixtureByName} from "../../components/math/mixture.js";
import {makeSchedule} from "../../components/math/schedules.js";
import {posteriorBetween} from "../../components/math/forward.js";
import {rngFromSeed} from "../../components/math/random.js";
import {startNoise} from "../../components/samplers/sampling-plan.js";

const schedule = makeSchedule("cosine", 100);
const exact = exactDenoiser(mixtureByName("ring"), schedule);
/** The exact mixture's ε̂ with a constant ν (or one that depends on the coordinate). */
/** Every value of an async iterable (Array.fromAsync arrives in Node 22). */
async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}

const withNu = (nu: (k: number) => number): VarianceDenoiser => ({
  d: 2, eps: exact.eps,
  epsAndNu: async (xt, t) => ({eps: await exact.eps(xt, t), nu: Float64Array.from(xt, (_, k) => nu(k))}),
});

describe("learnedDdpmSteps", () => {
  for (const [nu, variance] of [[0, "betaTilde"], [1, "beta"]] as const) {
    it(`with ν ≡ ${nu} draws exactly DDPM's samples with σ² = ${variance} (same noise)`, async () => {
      for (const steps of [3, 10]) {
        const a = await collect(learnedDdpmSteps(withNu(() => nu), schedule, startNoise(200, 1), {steps, rng: rngFromSeed(2)}));
        const b = await ddpm(exact, schedule, startNoise(200, 1), {steps, variance, rng: rngFromSeed(2)});
        a.x.forEach((v, k) => assert.ok(Math.abs(v - b.x[k]) < 1e-12, `${steps} steps, value ${k}: ${v} against ${b.x[k]}`));
        assert.equal(a.nfe, steps);
      }
    });
  }

  it("gives each coordinate its own variance: ν = 0 on x and 1 on y spreads y wider after one noisy step", async () => {
    const states = learnedDdpmSteps(withNu((k) => k % 2), schedule, startNoise(4000, 3), {steps: 2, rng: rngFromSeed(4)});
    const seen = await all(states);
    // The first step's noise: subtract the deterministic part, the same for both coordinates' rules.
    const det = await ddpm(exact, schedule, startNoise(4000, 3), {steps: 2, variance: () => 0, rng: rngFromSeed(4), trajectory: true});
    const x1 = seen[1].x, d1 = det.trajectory!.x[1];
    const sd = (j: number) => Math.sqrt(x1.reduce((s, v, k) => (k % 2 === j ? s + (v - d1[k]) ** 2 : s), 0) / 4000);
    const abT = schedule.alphaBar[99], abS = schedule.alphaBar[49];
    const beta = 1 - abT / abS, betaTilde = posteriorBetween(abT, abS).variance;
    // 4,000 draws: the sample sd is within 3% of the true one with probability > 0.99.
    assert.ok(Math.abs(sd(0) / Math.sqrt(betaTilde) - 1) < 0.03, `x: sd ${sd(0)} against √β̃ ${Math.sqrt(betaTilde)}`);
    assert.ok(Math.abs(sd(1) / Math.sqrt(beta) - 1) < 0.03, `y: sd ${sd(1)} against √β ${Math.sqrt(beta)}`);
  });
});

describe("meanLearnedVariance", () => {
  it("averages exp(ν log β + (1−ν) log β̃) over points and coordinates", async () => {
    const abT = schedule.alphaBar[60], abS = schedule.alphaBar[30];
    const beta = 1 - abT / abS, betaTilde = posteriorBetween(abT, abS).variance;
    const mean = await meanLearnedVariance(withNu((k) => (k % 2 ? 1 : 0)), 60, abT, abS, startNoise(10, 1));
    assert.ok(Math.abs(mean - (beta + betaTilde) / 2) < 1e-15);
  });
});

describe("varianceSweep with a learned choice", () => {
  it("runs learnedDdpmSteps for it and refuses a denoiser without ν", async () => {
    const spec = {schedule, steps: [2], seeds: [1], n: 50, score: (x: Float64Array) => x[0]};
    const [p] = await all(varianceSweep({...spec, denoiser: withNu(() => 0), choices: [{key: "learned", label: "Σθ", variance: "learned"}]}));
    const b = await ddpm(exact, schedule, startNoise(50, 1), {steps: 2, variance: "betaTilde", rng: rngFromSeed(2)});
    assert.equal(p.values[0], b.x[0]);
    await assert.rejects(all(varianceSweep({...spec, denoiser: exact, choices: [{key: "learned", label: "Σθ", variance: "learned"}]})), /epsAndNu/);
  });
});

describe("varianceGap", () => {
  it("gives the median and the largest relative gap, skipping non-finite pairs", () => {
    const {median, worst} = varianceGap([1.1, 2, 2.4, NaN], [1, 2, 3, 1]);
    assert.ok(Math.abs(median - 0.1) < 1e-12 && Math.abs(worst - 0.2) < 1e-12, `median ${median}, worst ${worst}`);
  });
});
