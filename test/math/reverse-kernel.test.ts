// The exact reverse step q(x_s | x_t) of a mixture: a proper density, the same law Monte Carlo finds
// (draw x_s from q_s, weight by the forward kernel), the DDPM mean at every stride, and a covariance
// and KL that approach DDPM's Gaussian as the step shrinks.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {logDensityAt, MIXTURES, mixtureByName, noiseMixture, sampleMixture, type Mixture} from "../../components/math/mixture.js";
import {windowPoints} from "../../components/math/point-grid.js";
import {principalStds} from "../../components/math/quadrature.js";
import {rngFromSeed} from "../../components/math/random.js";
import {
  ddpmGaussian, klGaussians, klMixtureToGaussian, mixtureMoments, reverseKernel, reverseStep, sampleMoments, strideFrom,
} from "../../components/math/reverse-kernel.js";
import {makeSchedule} from "../../components/math/schedules.js";

const schedule = makeSchedule("cosine", 1000);
const cases: [string, number, [number, number]][] = [["ring", 300, [0.9, 0.2]], ["two-modes", 500, [0.5, 0.5]], ["anisotropic", 800, [-1, 0.4]]];

/** ∫ p over a plain k×k grid on mean ± 8 of its widest standard deviation, fine enough for its narrowest component. */
function massOnGrid(p: Mixture): number {
  const {mean, cov} = mixtureMoments(p), half = 8 * principalStds(cov)[1];
  const narrowest = Math.min(...p.covs.map((c) => principalStds(c)[0]));
  const k = Math.ceil((2 * half) / (narrowest / 3)), h = (2 * half) / k;
  return logDensityAt(p, windowPoints(k, half, mean)).reduce((sum, l) => sum + Math.exp(l), 0) * h * h;
}

describe("reverseKernel", () => {
  it("integrates to 1 at every stride", () => {
    for (const [name, t, xt] of cases) {
      for (const steps of [1000, 100, 20, 5]) {
        const {alphaBarT, alphaBarS} = strideFrom(schedule, t, steps);
        const mass = massOnGrid(reverseKernel(mixtureByName(name as never), alphaBarT, alphaBarS, xt));
        assert.ok(Math.abs(mass - 1) < 1e-6, `${name}, t=${t}, ${steps} steps: mass ${mass}`);
      }
    }
  });

  it("matches Monte Carlo: x_s drawn from q_s and weighted by the forward kernel q(x_t | x_s)", () => {
    // Self-normalised importance sampling. Each estimate is allowed 5 of its standard errors, with the
    // effective sample size (Σw)²/Σw² in place of n (Kong 1992): about 1 false alarm in 10⁶ per check.
    for (const [name, t, xt] of cases) {
      for (const steps of [20, 5]) {
        const m = mixtureByName(name as never), {alphaBarT, alphaBarS} = strideFrom(schedule, t, steps);
        const a = Math.sqrt(alphaBarT / alphaBarS), b = 1 - alphaBarT / alphaBarS, n = 300_000;
        const xs = sampleMixture(noiseMixture(m, alphaBarS), n, rngFromSeed(11 + steps));
        const w = new Float64Array(n);
        let sw = 0, sw2 = 0;
        for (let i = 0; i < n; ++i) {
          w[i] = Math.exp(-((xt[0] - a * xs[2 * i]) ** 2 + (xt[1] - a * xs[2 * i + 1]) ** 2) / (2 * b));
          sw += w[i]; sw2 += w[i] * w[i];
        }
        const ess = (sw * sw) / sw2, exact = mixtureMoments(reverseKernel(m, alphaBarT, alphaBarS, xt));
        assert.ok(ess > 2000, `${name} ${steps} steps: effective sample size ${ess}`);
        for (const c of [0, 1]) {
          let mean = 0;
          for (let i = 0; i < n; ++i) mean += (w[i] * xs[2 * i + c]) / sw;
          const sd = Math.sqrt(exact.cov[2 * c]);
          assert.ok(Math.abs(mean - exact.mean[c]) < 5 * sd / Math.sqrt(ess), `${name} ${steps} steps: mean[${c}] ${mean} vs ${exact.mean[c]}`);
          let second = 0;
          for (let i = 0; i < n; ++i) second += (w[i] * (xs[2 * i + c] - exact.mean[c]) ** 2) / sw;
          // Var of a squared deviation is ≤ 3σ⁴ for a Gaussian; mixtures here stay within 2× that.
          assert.ok(Math.abs(second - exact.cov[2 * c]) < 5 * Math.sqrt(6) * exact.cov[2 * c] / Math.sqrt(ess), `${name} ${steps} steps: var[${c}] ${second} vs ${exact.cov[2 * c]}`);
        }
      }
    }
  });

  it("for Gaussian data N(0, s²I) is the Gaussian of the joint law, and for s = 1 has variance β", () => {
    for (const s2 of [0.25, 1, 4]) {
      const m: Mixture = {weights: [1], means: [[0, 0]], covs: [[s2, 0, s2]]};
      const [abT, abS] = [0.3, 0.7], xt: [number, number] = [0.8, -0.4];
      const C = abS * s2 + 1 - abS, S = abT * s2 + 1 - abT, a = Math.sqrt(abT / abS), b = 1 - abT / abS;
      const k = reverseKernel(m, abT, abS, xt);
      assert.ok(Math.abs(k.covs[0][0] - (b * C) / S) < 1e-14 && Math.abs(k.covs[0][1]) < 1e-15);
      assert.ok(Math.abs(k.means[0][0] - (a * C / S) * xt[0]) < 1e-14 && Math.abs(k.means[0][1] - (a * C / S) * xt[1]) < 1e-14);
      if (s2 === 1) assert.ok(Math.abs(k.covs[0][0] - b) < 1e-15);
    }
  });

  it("has the mean of DDPM's Gaussian (Ho et al. eq. 11 with the exact ε) at every stride", () => {
    for (const [name, t, xt] of cases) {
      for (const steps of [1000, 100, 20, 5]) {
        const m = mixtureByName(name as never), {alphaBarT, alphaBarS} = strideFrom(schedule, t, steps);
        const exact = mixtureMoments(reverseKernel(m, alphaBarT, alphaBarS, xt)), g = ddpmGaussian(m, alphaBarT, alphaBarS, xt, "betaTilde");
        assert.ok(Math.hypot(exact.mean[0] - g.mean[0], exact.mean[1] - g.mean[1]) < 1e-12, `${name}, ${steps} steps`);
      }
    }
  });

  it("approaches DDPM's covariance β̃I as the step shrinks: within 2% at T = 1000, not at T = 5", () => {
    for (const [name, t, xt] of cases) {
      const dev = [1000, 100, 20, 5].map((steps) => {
        const r = reverseStep(mixtureByName(name as never), schedule, t, steps, xt), v = r.betaTilde.cov[0], c = r.moments.cov;
        return Math.hypot(c[0] - v, c[2] - v, Math.SQRT2 * c[1]) / v;
      });
      assert.ok(dev[0] < 0.02, `${name}: one step deviates by ${dev[0]}`);
      assert.ok(dev[0] < dev[1] && dev[1] < dev[2] && dev[2] < dev[3], `${name}: ${dev}`);
      assert.ok(dev[3] > 0.2, `${name}: five steps deviate by only ${dev[3]}`);
    }
  });
});

describe("KL of the exact step to DDPM's Gaussian", () => {
  it("grows as steps get coarse, like the square of the stride at fine steps", () => {
    for (const [name, t, xt] of cases) {
      const kl = [1000, 100, 20, 5].map((steps) => reverseStep(mixtureByName(name as never), schedule, t, steps, xt).klBetaTilde);
      assert.ok(kl[0] < kl[1] && kl[1] < kl[2] && kl[2] < kl[3], `${name}: ${kl}`);
      const ratio = kl[1] / kl[0];
      assert.ok(ratio > 50 && ratio < 200, `${name}: KL(100 steps)/KL(1000 steps) = ${ratio}, not ~100`);
    }
  });

  it("splits into the shape part KL(exact ‖ moments) and the Gaussian part KL(moments ‖ DDPM)", () => {
    for (const [name, t, xt] of cases) {
      for (const steps of [100, 5]) {
        const r = reverseStep(mixtureByName(name as never), schedule, t, steps, xt);
        for (const g of [r.betaTilde, r.beta]) {
          const whole = klMixtureToGaussian(r.exact, g), parts = r.klBest + klGaussians(r.moments, g);
          assert.ok(Math.abs(whole - parts) < 1e-6 * whole + 1e-12, `${name}, ${steps} steps: ${whole} vs ${parts}`);
        }
      }
    }
  });

  it("equals the closed form when the mixture has one component, and is 0 against itself", () => {
    const p: Mixture = {weights: [1], means: [[0.3, -1]], covs: [[0.5, 0.2, 0.3]]};
    const g = {mean: [0, -0.8] as [number, number], cov: [0.4, 0, 0.4] as [number, number, number]};
    const closed = klGaussians({mean: [0.3, -1], cov: [0.5, 0.2, 0.3]}, g);
    assert.ok(Math.abs(klMixtureToGaussian(p, g) - closed) < 1e-9, `${klMixtureToGaussian(p, g)} vs ${closed}`);
    assert.ok(klMixtureToGaussian(p, mixtureMoments(p)) < 1e-12);
  });

  it("by quadrature agrees with a grid 1.5× wider and 3× finer to 1e-4", () => {
    for (const {name, mixture} of MIXTURES) {
      const r = reverseStep(mixture, schedule, 300, 5, [0.9, 0.2]);
      const fine = klMixtureToGaussian(r.exact, r.betaTilde, {reach: 10.5, perSigma: 6, maxSide: 4000});
      assert.ok(Math.abs(r.klBetaTilde - fine) < 1e-4 * fine, `${name}: ${r.klBetaTilde} vs ${fine}`);
    }
  });
});

describe("mixtureMoments and sampleMoments", () => {
  it("agree on a large sample of each mixture (5 standard errors)", () => {
    for (const {name, mixture} of MIXTURES) {
      const n = 200_000, exact = mixtureMoments(mixture), got = sampleMoments(sampleMixture(mixture, n, rngFromSeed(3)));
      for (const c of [0, 1]) {
        const v = exact.cov[2 * c];
        assert.ok(Math.abs(got.mean[c] - exact.mean[c]) < 5 * Math.sqrt(v / n), `${name}: mean[${c}]`);
        assert.ok(Math.abs(got.cov[2 * c] - v) < 5 * v * Math.sqrt(6 / n), `${name}: var[${c}] ${got.cov[2 * c]} vs ${v}`);
      }
    }
  });
});

describe("strideFrom", () => {
  it("steps T/steps back, to ᾱ_s of that timestep", () => {
    const st = strideFrom(schedule, 300, 5);
    assert.deepEqual([st.t, st.s], [300, 100]);
    assert.equal(st.alphaBarT, schedule.alphaBar[300]);
    assert.equal(st.alphaBarS, schedule.alphaBar[100]);
    assert.equal(strideFrom(schedule, 300, 1000).s, 299);
    assert.equal(strideFrom(schedule, 100, 5).s, -1);
    assert.equal(strideFrom(schedule, 100, 5).alphaBarS, 1);
    assert.throws(() => reverseStep(mixtureByName("ring"), schedule, 100, 5, [0, 0]), RangeError);
  });
});
