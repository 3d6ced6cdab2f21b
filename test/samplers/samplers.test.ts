// Closed-form checks of the samplers: timestep lists, single steps computed by hand, identities
// between DDIM and DDPM, exactness on a point mass, NFE counts and the step-by-step protocol.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {posteriorCoefficients, posteriorMean} from "../../components/math/forward.js";
import {rngFromSeed} from "../../components/math/random.js";
import {alphaBarAt, makeSchedule, type Schedule} from "../../components/math/schedules.js";
import type {Denoiser} from "../../components/math/types.js";
import {
  SAMPLERS,
  annealedLangevin,
  ddim,
  ddimSigma,
  ddimStep,
  ddpm,
  ddpmStep,
  ddpmSteps,
  ddpmVariance,
  dpmSolverPP,
  edmSigmas,
  euler,
  gridTimesteps,
  heun,
  langevin,
  maxFiniteSigma,
  predictX0,
  samplerByName,
  scoreFromDenoiser,
  timesteps
} from "../../components/samplers/index.js";
import {maxAbsDiff} from "../arrays.js";

const schedule = makeSchedule("linear", 1000);

/**
 * Exact ε̂ for data N(μ, s²·I) in 2D: q_t = N(√ᾱ·μ, (ᾱs² + 1 − ᾱ)·I), so
 * ε̂ = −√(1−ᾱ)·∇log q_t = √(1−ᾱ)·(x − √ᾱ·μ)/(ᾱs² + 1 − ᾱ), with ᾱ = alphaBarAt(t).
 * s = 0 is a point mass, where x̂0 = μ exactly at every t. Counts its calls.
 */
function gaussianDenoiser(mu: [number, number], s: number, sched: Schedule = schedule): Denoiser & {calls: number} {
  const den = {
    d: 2,
    calls: 0,
    async eps(xt: Float64Array, t: number) {
      den.calls++;
      const ab = alphaBarAt(sched, t);
      const c = Math.sqrt(1 - ab) / (ab * s * s + 1 - ab);
      const out = new Float64Array(xt.length);
      for (let k = 0; k < xt.length; k++) out[k] = c * (xt[k] - Math.sqrt(ab) * mu[k % 2]);
      return out;
    }
  };
  return den;
}


describe("timesteps", () => {
  // The lists diffusers' DDIMScheduler.set_timesteps gives for T = 1000, 10 steps (0-based;
  // Lin et al. 2024, Table 2 print the same grids 1-based).
  it("matches diffusers for T = 1000, 10 steps under each spacing", () => {
    assert.deepEqual(timesteps(1000, 10, {spacing: "linspace"}), [999, 888, 777, 666, 555, 444, 333, 222, 111, 0]);
    assert.deepEqual(timesteps(1000, 10, {spacing: "leading"}), [900, 800, 700, 600, 500, 400, 300, 200, 100, 0]);
    assert.deepEqual(timesteps(1000, 10, {spacing: "leading", offset: 1}), [901, 801, 701, 601, 501, 401, 301, 201, 101, 1]);
    assert.deepEqual(timesteps(1000, 10, {spacing: "trailing"}), [999, 899, 799, 699, 599, 499, 399, 299, 199, 99]);
  });

  it("rounds like numpy when the step does not divide T", () => {
    // trailing: round(1000, 666.67, 333.33) − 1; leading: k·⌊1000/3⌋.
    assert.deepEqual(timesteps(1000, 3, {spacing: "trailing"}), [999, 666, 332]);
    assert.deepEqual(timesteps(1000, 3, {spacing: "leading"}), [666, 333, 0]);
    // linspace(0, 997, 3) = [0, 498.5, 997]: numpy rounds 498.5 to the even 498, Math.round to 499.
    assert.deepEqual(timesteps(998, 3, {spacing: "linspace"}), [997, 498, 0]);
  });

  it("gives the full grid T−1…0 when steps = T, whatever the spacing", () => {
    const full = Array.from({length: 50}, (_, k) => 49 - k);
    for (const spacing of ["linspace", "leading", "trailing"] as const) assert.deepEqual(timesteps(50, 50, {spacing}), full);
  });

  it("karras spacing maps the EDM σ grid (σ from 80 down to σ_0) to fractional timesteps", () => {
    const ts = gridTimesteps(schedule, {steps: 12, spacing: "karras"});
    const sigmas = edmSigmas(schedule, 12);
    assert.equal(ts.length, 12);
    assert.equal(sigmas[0], 80);
    assert.equal(sigmas[11], schedule.sigma[0]);
    assert.equal(ts[11], 0);
    for (let k = 1; k < 12; k++) assert.ok(ts[k] < ts[k - 1]);
    // Each timestep carries the σ it came from (timestepForSigma inverts schedule.sigma exactly
    // at integers and interpolates log σ linearly between them).
    for (let k = 0; k < 12; k++) {
      const i = Math.min(Math.floor(ts[k]), 998);
      const w = ts[k] - i;
      const sigma = Math.exp((1 - w) * Math.log(schedule.sigma[i]) + w * Math.log(schedule.sigma[i + 1]));
      assert.ok(Math.abs(sigma - sigmas[k]) < 1e-9 * sigmas[k], `k = ${k}`);
    }
  });

  it("rejects step counts outside [1, T]", () => {
    assert.throws(() => timesteps(1000, 0), /steps/);
    assert.throws(() => timesteps(1000, 1001), /steps/);
    assert.throws(() => timesteps(1000, 2.5), /steps/);
  });
});

describe("ddim", () => {
  it("ddim with eta=0 is deterministic and one step matches the closed form computed by hand", async () => {
    // A constant ε̂ makes the step a fixed affine map we can write out: x̂0 = (x − √(1−ᾱ_t)·e)/√ᾱ_t,
    // x_s = √ᾱ_s·x̂0 + √(1−ᾱ_s)·e (Song et al. 2021, eq. 12 with σ = 0).
    const e = [0.3, -0.7];
    const constant: Denoiser = {d: 2, eps: async (xt) => Float64Array.from(xt, (_, k) => e[k % 2])};
    const xT = Float64Array.of(1.2, -0.4, -2, 0.5);
    // No rng at all: a deterministic sampler must not ask for one.
    const run = () => ddim(constant, schedule, xT, {steps: 10, spacing: "trailing", trajectory: true});
    const a = await run();
    const b = await run();
    assert.deepEqual(a.x, b.x);
    const [abT, abS] = [schedule.alphaBar[999], schedule.alphaBar[899]];
    const x1 = a.trajectory!.x[1];
    for (let k = 0; k < 4; k++) {
      const x0 = (xT[k] - Math.sqrt(1 - abT) * e[k % 2]) / Math.sqrt(abT);
      const want = Math.sqrt(abS) * x0 + Math.sqrt(1 - abS) * e[k % 2];
      assert.ok(Math.abs(x1[k] - want) <= 1e-12 * Math.abs(want), `x[${k}] = ${x1[k]}, want ${want}`);
      assert.ok(Math.abs(a.trajectory!.x0[0][k] - x0) <= 1e-12 * Math.abs(x0));
    }
    assert.deepEqual(a.trajectory!.t, [999, 899, 799, 699, 599, 499, 399, 299, 199, 99, -1]);
    // The last step lands on clean data and equals x̂0 there.
    assert.deepEqual(a.x, a.trajectory!.x0[9]);
  });

  it("ddimSigma with eta=1 on the full grid equals DDPM's posterior variance β̃_t at every t", () => {
    for (let t = 0; t < schedule.T; t++) {
      const abS = t === 0 ? 1 : schedule.alphaBar[t - 1];
      const got = ddimSigma(schedule.alphaBar[t], abS, 1) ** 2;
      const want = posteriorCoefficients(schedule, t).variance;
      // Both are a few flops on the same table entries; 1e-12 relative allows their rounding.
      assert.ok(Math.abs(got - want) <= 1e-12 * want, `t = ${t}: σ² = ${got}, β̃ = ${want}`);
      assert.ok(Math.abs(ddpmVariance(schedule.alphaBar[t], abS, "betaTilde") - want) <= 1e-12 * want);
      assert.ok(Math.abs(ddpmVariance(schedule.alphaBar[t], abS, "beta") - schedule.betas[t]) <= 1e-9 * schedule.betas[t]);
    }
  });

  it("ddim with eta=1 on the full grid draws the same samples as DDPM with σ² = β̃ from one seed", async () => {
    // Same mean (eq. 12 with σ² = β̃ equals the posterior mean) and same variance, and both draw
    // noise on every step but the last, so one seed gives one path; only rounding separates them.
    const den = gaussianDenoiser([0.5, -1], 0.4);
    const a = await ddim(den, schedule, {n: 64}, {steps: 1000, eta: 1, rng: rngFromSeed(7)});
    const b = await ddpm(den, schedule, {n: 64}, {steps: 1000, variance: "betaTilde", rng: rngFromSeed(7)});
    assert.ok(maxAbsDiff(a.x, b.x) < 1e-9, `max |Δ| = ${maxAbsDiff(a.x, b.x)}`);
  });
});

describe("ddpm", () => {
  it("ddpmStep without noise is the posterior mean μ̃(x̂0, x_t) of Ho et al. eq. 7", async () => {
    const den = gaussianDenoiser([0.5, -1], 0.4);
    const xt = Float64Array.of(0.3, -1.1, 2, 0.7);
    for (const t of [1, 10, 500, 999]) {
      const eps = await den.eps(xt, t);
      const got = ddpmStep(xt, eps, schedule.alphaBar[t], schedule.alphaBar[t - 1], "betaTilde", null);
      const want = posteriorMean(predictX0(xt, eps, schedule.alphaBar[t]), xt, t, schedule);
      assert.ok(maxAbsDiff(got, want) < 1e-12 * 10, `t = ${t}`);
    }
  });

  it("ddpmStep with noise is Ho et al. Alg. 2 line 4 written out, on the full grid and on a sub-grid", () => {
    // The step is computed from x̂0 and ε̂ (the AffineStep form a tensor loop shares); it must equal
    // (x_t − β/√(1−ᾱ_t)·ε̂)/√α + σ·z term for term, up to rounding of a few flops.
    const xt = Float64Array.of(0.3, -1.1, 2, 0.7);
    const eps = Float64Array.of(0.5, -0.2, 1.3, -0.9);
    const z = Float64Array.of(-0.4, 1.2, 0.1, 0.8);
    for (const [t, s] of [[999, 998], [500, 499], [10, 9], [600, 400], [1, 0]]) {
      for (const variance of ["beta", "betaTilde"] as const) {
        const [abT, abS] = [schedule.alphaBar[t], schedule.alphaBar[s]];
        const alpha = abT / abS, beta = 1 - alpha;
        const sd = Math.sqrt(variance === "beta" ? beta : ((1 - abS) / (1 - abT)) * beta);
        const got = ddpmStep(xt, eps, abT, abS, variance, z);
        const want = Array.from(xt, (x, k) => (x - (beta / Math.sqrt(1 - abT)) * eps[k]) / Math.sqrt(alpha) + sd * z[k]);
        for (let k = 0; k < 4; k++) assert.ok(Math.abs(got[k] - want[k]) < 1e-12 * (1 + Math.abs(want[k])), `${variance} t=${t}→${s}: ${got[k]} vs ${want[k]}`);
      }
    }
  });

  it("ddpm on a narrow Gaussian ends with the spread its variance recursion predicts, for β̃ and β", async () => {
    // With the exact ε̂ of N(μ, s²I) each step is affine, x_s = A·x_t + B·μ + sd·z, so mean m and
    // variance v of one coordinate follow m ← A·m + B·μ, v ← A²·v + sd² from x_T ~ N(0, 1). For s = 0.1
    // the recursion ends at std 0.963·s with σ² = β̃ but 1.008·s with σ² = β: the two variance choices
    // of Ho et al. §3.2 really differ on modes this narrow. 20k points (40k coordinates) estimate
    // the std to ±0.35% (1 s.e.); tolerance 1.5% of s, a third of the 4.5% gap between the choices.
    const mu: [number, number] = [0.4, -0.2];
    const s = 0.1;
    for (const variance of ["betaTilde", "beta"] as const) {
      let m = 0;
      let v = 1;
      for (let t = 999; t >= 0; t--) {
        const ab = schedule.alphaBar[t];
        const abS = t > 0 ? schedule.alphaBar[t - 1] : 1;
        const [alpha, beta] = [ab / abS, 1 - ab / abS];
        const c = Math.sqrt(1 - ab) / (ab * s * s + 1 - ab);
        const A = (1 - (beta / Math.sqrt(1 - ab)) * c) / Math.sqrt(alpha);
        const B = ((beta / Math.sqrt(1 - ab)) * c * Math.sqrt(ab)) / Math.sqrt(alpha);
        const noise = t === 0 ? 0 : variance === "beta" ? beta : ((1 - abS) / (1 - ab)) * beta;
        m = A * m + B;
        v = A * A * v + noise;
      }
      const {x} = await ddpm(gaussianDenoiser(mu, s), schedule, {n: 20000}, {steps: 1000, variance, rng: rngFromSeed(9)});
      for (const c of [0, 1]) {
        let sum = 0;
        let sq = 0;
        for (let i = c; i < x.length; i += 2) sum += x[i];
        const mean = sum / 20000;
        for (let i = c; i < x.length; i += 2) sq += (x[i] - mean) ** 2;
        const std = Math.sqrt(sq / 19999);
        assert.ok(Math.abs(std - Math.sqrt(v)) < 0.015 * s, `${variance}[${c}]: std ${std}, recursion ${Math.sqrt(v)}`);
        // Mean: the recursion's m·μ, to within 5 s.e. of a 20k-point mean (s.e. ≈ s/141).
        assert.ok(Math.abs(mean - m * mu[c]) < (5 * Math.sqrt(v)) / Math.sqrt(20000), `${variance}[${c}]: mean ${mean}`);
      }
    }
  });

  it("ddpm runs T steps with T denoiser evaluations and reports every state", async () => {
    const den = gaussianDenoiser([0, 0], 1);
    const r = await ddpm(den, schedule, {n: 3}, {steps: 1000, rng: rngFromSeed(1), trajectory: true});
    assert.equal(r.nfe, 1000);
    assert.equal(den.calls, 1000);
    assert.equal(r.trajectory!.x.length, 1001);
    assert.equal(r.trajectory!.x0.length, 1000);
    assert.equal(r.trajectory!.t[0], 999);
    assert.equal(r.trajectory!.t[1000], -1);
  });

  it("ddpmSteps stops on demand: leaving the loop ends the generator and evaluates nothing more", async () => {
    const den = gaussianDenoiser([0, 0], 1);
    const it = ddpmSteps(den, schedule, {n: 5}, {steps: 1000, rng: rngFromSeed(2)});
    let seen = 0;
    for await (const s of it) {
      assert.equal(s.i, seen);
      if (++seen === 5) break;
    }
    assert.equal(den.calls, 4);
    assert.deepEqual(await it.next(), {value: undefined, done: true});
    assert.equal(den.calls, 4);
  });
});

describe("exact samplers on a point mass", () => {
  // For data at a single point μ, x̂0 = μ exactly at every t, so every deterministic sampler must
  // return μ up to rounding, in any number of steps: a check of each update's algebra.
  const mu: [number, number] = [0.7, -1.3];
  for (const [name, run] of [
    ["ddim", (den: Denoiser) => ddim(den, schedule, {n: 4}, {steps: 7, rng: rngFromSeed(3)})],
    ["dpm-solver++", (den: Denoiser) => dpmSolverPP(den, schedule, {n: 4}, {steps: 7, rng: rngFromSeed(3)})],
    ["euler", (den: Denoiser) => euler(den, schedule, {n: 4}, {steps: 7, rng: rngFromSeed(3)})],
    ["heun", (den: Denoiser) => heun(den, schedule, {n: 4}, {steps: 7, rng: rngFromSeed(3)})]
  ] as const) {
    it(`${name} maps any x_T to the point mass`, async () => {
      const {x} = await run(gaussianDenoiser(mu, 0));
      for (let k = 0; k < x.length; k++) assert.ok(Math.abs(x[k] - mu[k % 2]) < 1e-9, `${name}: x[${k}] = ${x[k]}`);
    });
  }
});

describe("NFE counts", () => {
  it("are exact: DDPM/DDIM/DPM-Solver++/Euler n → n, Heun n → 2n−1, Langevin n → n", async () => {
    const cases: [string, (den: Denoiser) => Promise<{nfe: number}>, number][] = [
      ["ddpm 250", (den) => ddpm(den, schedule, {n: 2}, {steps: 250, rng: rngFromSeed(1)}), 250],
      ["ddim 13", (den) => ddim(den, schedule, {n: 2}, {steps: 13, spacing: "leading", rng: rngFromSeed(1)}), 13],
      ["dpm-solver++ 20", (den) => dpmSolverPP(den, schedule, {n: 2}, {steps: 20, rng: rngFromSeed(1)}), 20],
      ["dpm-solver++ 1", (den) => dpmSolverPP(den, schedule, {n: 2}, {steps: 1, rng: rngFromSeed(1)}), 1],
      ["euler 18", (den) => euler(den, schedule, {n: 2}, {steps: 18, rng: rngFromSeed(1)}), 18],
      ["heun 18", (den) => heun(den, schedule, {n: 2}, {steps: 18, rng: rngFromSeed(1)}), 35],
      ["heun 1", (den) => heun(den, schedule, {n: 2}, {steps: 1, rng: rngFromSeed(1)}), 1],
      [
        "langevin 30",
        (den) => langevin(scoreFromDenoiser(den, schedule), schedule, {n: 2}, {steps: 30, delta: 1e-3, rng: rngFromSeed(1)}),
        30
      ],
      [
        "annealed 40 over 4 levels",
        (den) =>
          annealedLangevin(scoreFromDenoiser(den, schedule), schedule, {n: 2}, {steps: 40, levels: 4, delta: 1e-3, rng: rngFromSeed(1)}),
        40
      ]
    ];
    for (const [label, run, want] of cases) {
      const den = gaussianDenoiser([0, 0], 1);
      const r = await run(den);
      assert.equal(r.nfe, want, label);
      assert.equal(den.calls, want, `${label}: denoiser calls`);
    }
  });

  it("every SAMPLERS row predicts its own NFE and trajectory length", async () => {
    for (const s of SAMPLERS) {
      const den = gaussianDenoiser([0, 0], 1);
      const steps = s.name === "annealed-langevin" ? 20 : 5;
      const r = await s.run(den, schedule, {n: 3}, {steps, rng: rngFromSeed(4), trajectory: true});
      assert.equal(r.nfe, s.nfe(steps), s.name);
      assert.equal(den.calls, s.nfe(steps), s.name);
      assert.equal(r.trajectory!.x.length, steps + 1, s.name);
      assert.equal(r.trajectory!.x0.length, steps, s.name);
      assert.equal(r.x.length, 6, s.name);
      assert.ok(r.x.every(Number.isFinite), s.name);
      assert.equal(samplerByName(s.name), s);
    }
    assert.throws(() => samplerByName("nope"), /unknown sampler/);
  });
});

describe("input checks", () => {
  it("stochastic samplers ask for an rng by name; bad options fail before any evaluation", async () => {
    const den = gaussianDenoiser([0, 0], 1);
    const xT = new Float64Array(4);
    await assert.rejects(ddpm(den, schedule, xT, {steps: 10}), /rng/);
    await assert.rejects(ddim(den, schedule, {n: 2}, {steps: 10}), /rng/);
    await assert.rejects(ddim(den, schedule, xT, {steps: 0}), /steps/);
    await assert.rejects(ddim(den, schedule, xT, {steps: 2, timesteps: [500, 600]}), /decreasing/);
    await assert.rejects(ddim(den, schedule, xT, {steps: 2, eta: -1}), /eta/);
    await assert.rejects(annealedLangevin(scoreFromDenoiser(den, schedule), schedule, xT, {steps: 10, levels: 3, delta: 1e-3, rng: rngFromSeed(1)}), /divide/);
    assert.equal(den.calls, 0);
  });

  it("zero-terminal-SNR schedules: grid samplers refuse t = T−1, σ samplers start at the largest finite σ", async () => {
    const zt = makeSchedule("linear", 1000, {zeroTerminalSnr: true});
    const den = gaussianDenoiser([0, 0], 1, zt);
    await assert.rejects(ddim(den, zt, {n: 2}, {steps: 10, rng: rngFromSeed(1)}), /zero terminal SNR/);
    const r = await ddim(den, zt, {n: 2}, {steps: 10, spacing: "leading", rng: rngFromSeed(1)});
    assert.ok(r.x.every(Number.isFinite));
    assert.equal(zt.sigma[999], Infinity);
    assert.equal(maxFiniteSigma(zt), zt.sigma[998]);
    const h = await heun(den, zt, {n: 2}, {steps: 10, rng: rngFromSeed(1), trajectory: true});
    assert.equal(h.trajectory!.sigma[0], Math.min(80, zt.sigma[998]));
    assert.ok(h.x.every(Number.isFinite));
    // The scaled-linear schedule never gets that noisy (σ_{T−1} ≈ 14.6): start at its own end.
    const sl = makeSchedule("scaled-linear", 1000);
    assert.equal(edmSigmas(sl, 5)[0], sl.sigma[999]);
  });
});

describe("ddimStep", () => {
  it("adds σ·z with σ from eq. 16 and refuses to run stochastic without noise", () => {
    const xt = Float64Array.of(0.2, 0.4);
    const eps = Float64Array.of(-0.1, 0.3);
    const z = Float64Array.of(1, -2);
    const [abT, abS] = [schedule.alphaBar[600], schedule.alphaBar[500]];
    const det = ddimStep(xt, eps, abT, abS, 0, null);
    const sto = ddimStep(xt, eps, abT, abS, 0.5, z);
    const sigma = ddimSigma(abT, abS, 0.5);
    const shrink = Math.sqrt(1 - abS - sigma * sigma) - Math.sqrt(1 - abS);
    for (let k = 0; k < 2; k++) {
      const want = det[k] + shrink * eps[k] + sigma * z[k];
      assert.ok(Math.abs(sto[k] - want) < 1e-12, `k = ${k}`);
    }
    assert.throws(() => ddimStep(xt, eps, abT, abS, 0.5, null), /noise/);
  });
});
