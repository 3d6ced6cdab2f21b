// Classifier-free guidance: the combination formula and its w = 0 limit, on a sampler run.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {cfgCombine, guidedDenoiser} from "../../components/samplers/cfg.js";
import {ddim} from "../../components/samplers/ddim.js";
import {makeSchedule} from "../../components/math/schedules.js";
import {rngFromSeed} from "../../components/math/random.js";
import type {Denoiser} from "../../components/math/types.js";

describe("cfgCombine", () => {
  it("is (1 + w)·ε_c − w·ε_u elementwise, and diffusers' ε_u + s·(ε_c − ε_u) with s = 1 + w", () => {
    const c = [1, -2, 0.5], u = [0.5, 1, -1];
    assert.deepEqual([...cfgCombine(c, u, 2)], [2, -8, 3.5]);
    const s = 3;
    cfgCombine(c, u, s - 1).forEach((v, i) => assert.ok(Math.abs(v - (u[i] + s * (c[i] - u[i]))) < 1e-12));
  });

  it("at w = 0 returns the conditional prediction exactly", () => {
    assert.deepEqual([...cfgCombine([0.1, 0.2], [5, 6], 0)], [0.1, 0.2]);
  });

  it("refuses predictions of different lengths", () => {
    assert.throws(() => cfgCombine([1, 2], [1], 1), /2 conditional values but 1 unconditional/);
  });
});

describe("guidedDenoiser", () => {
  // A conditional "model" whose two predictions differ, so guidance changes the samples.
  const cond: Denoiser = {d: 2, eps: async (x) => x.map((v) => 0.5 * v + 0.3)};
  const uncond: Denoiser = {d: 2, eps: async (x) => x.map((v) => 0.4 * v)};
  const paired = async (x: Float64Array, t: number) => ({cond: await cond.eps(x, t), uncond: await uncond.eps(x, t)});
  const schedule = makeSchedule("cosine", 100);
  const run = (d: Denoiser) => ddim(d, schedule, {n: 50}, {steps: 10, eta: 0, rng: rngFromSeed(4)});

  it("at w = 0 samples exactly as the conditional model alone", async () => {
    assert.deepEqual((await run(guidedDenoiser(2, paired, 0))).x, (await run(cond)).x);
  });

  it("at w > 0 differs from the conditional model and needs the unconditional prediction", async () => {
    assert.notDeepEqual((await run(guidedDenoiser(2, paired, 2))).x, (await run(cond)).x);
    const missing = guidedDenoiser(2, async (x, t) => ({cond: await cond.eps(x, t), uncond: null}), 2);
    await assert.rejects(run(missing), /needs the unconditional prediction/);
  });
});
