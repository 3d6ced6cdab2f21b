import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {
  SCHEDULES, alphaBarAfter, alphaBarAt, checkScheduleSpec, cosineBetas, isScheduleName, karrasSigmas, makeSchedule, rescaleZeroTerminalSnr,
  scheduleFromBetas, timestepForSigma, type ScheduleName,
} from "../../components/math/schedules.js";

const names: ScheduleName[] = SCHEDULES.map((s) => s.name);

// Relative error; the schedules are computed in float64, so identities that hold exactly in real
// arithmetic are checked to 1e-12 (a few hundred ulps after a 1000-term product).
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe("beta makers", () => {
  it("linear T=1000 reaches the published DDPM ᾱ_999 ≈ 4.0358e-5", () => {
    const s = makeSchedule("linear", 1000);
    // 4.0358e-5 is quoted to 5 significant figures, so 1e-3 relative is ample and still catches
    // an off-by-one in the product (one step more or less changes ᾱ_999 by 2%).
    assert.ok(rel(s.alphaBar[999], 4.0358e-5) < 1e-3, `ᾱ_999 = ${s.alphaBar[999]}`);
  });

  it("linear betas hit their endpoints exactly, including custom ones", () => {
    const s = makeSchedule("linear", 1000);
    assert.equal(s.betas[0], 1e-4);
    assert.equal(s.betas[999], 0.02);
    const c = makeSchedule("linear", 50, {betaStart: 1e-3, betaEnd: 0.2});
    assert.equal(c.betas[0], 1e-3);
    assert.equal(c.betas[49], 0.2);
  });

  it("scaled-linear betas run from 0.00085 to 0.012 and are linear in √β", () => {
    const s = makeSchedule("scaled-linear", 1000);
    assert.ok(rel(s.betas[0], 0.00085) < 1e-12);
    assert.ok(rel(s.betas[999], 0.012) < 1e-12);
    const r = s.betas.map(Math.sqrt);
    const step = r[1] - r[0];
    for (let t = 1; t < 1000; ++t) assert.ok(Math.abs(r[t] - r[t - 1] - step) < 1e-14);
  });

  it("cosine ᾱ_t equals f(t+1)/f(0) wherever β is not clipped", () => {
    const T = 1000, s = 0.008;
    const f = (t: number) => Math.cos(((t / T + s) / (1 + s)) * (Math.PI / 2)) ** 2;
    const sch = makeSchedule("cosine", T);
    let checked = 0;
    for (let t = 0; t < T && sch.betas[t] < 0.999; ++t, ++checked) {
      assert.ok(rel(sch.alphaBar[t], f(t + 1) / f(0)) < 1e-12, `t=${t}`);
    }
    // The cap only bites at the very end: f(T) = 0 makes the last β exactly 1 before clipping.
    assert.ok(checked >= 990, `only ${checked} unclipped steps`);
  });

  it("cosine betas never exceed the 0.999 cap and the last one is clipped to it", () => {
    const b = cosineBetas(1000);
    assert.ok(b.every((x) => x > 0 && x <= 0.999));
    assert.equal(b[999], 0.999);
  });

  it("sigmoid betas follow sigmoid(linspace(−6, 6, T)) between the endpoints", () => {
    const s = makeSchedule("sigmoid", 11, {betaStart: 1e-4, betaEnd: 0.02});
    const sig = (x: number) => 1 / (1 + Math.exp(-x));
    assert.ok(rel(s.betas[5], 1e-4 + 0.5 * (0.02 - 1e-4)) < 1e-12, "midpoint is halfway");
    assert.ok(rel(s.betas[0], 1e-4 + sig(-6) * (0.02 - 1e-4)) < 1e-12);
    assert.ok(rel(s.betas[10], 1e-4 + sig(6) * (0.02 - 1e-4)) < 1e-12);
  });

  it("logSnr is strictly decreasing for every schedule, with and without zero terminal SNR", () => {
    for (const name of names) {
      for (const zeroTerminalSnr of [false, true]) {
        for (const T of [10, 1000]) {
          const s = makeSchedule(name, T, {zeroTerminalSnr});
          for (let t = 1; t < T; ++t) assert.ok(s.logSnr[t] < s.logSnr[t - 1], `${name} T=${T} t=${t}`);
        }
      }
    }
  });

  it("derived arrays agree with their definitions", () => {
    for (const name of names) {
      const s = makeSchedule(name, 200);
      let prod = 1;
      for (let t = 0; t < s.T; ++t) {
        prod *= 1 - s.betas[t];
        assert.ok(rel(s.alphaBar[t], prod) < 1e-12);
        assert.ok(rel(s.sqrtOneMinusAlphaBar[t] ** 2 + s.alphaBar[t], 1) < 1e-14);
        assert.ok(rel(s.sigma[t], Math.sqrt((1 - prod) / prod)) < 1e-9);
        assert.ok(rel(s.snr[t], 1 / s.sigma[t] ** 2) < 1e-12);
        assert.ok(Math.abs(s.logSnr[t] - Math.log(s.snr[t])) < 1e-12);
      }
    }
  });
});

describe("rescaleZeroTerminalSnr", () => {
  it("gives ᾱ_{T−1} = 0 and keeps ᾱ_0 unchanged", () => {
    for (const name of names) {
      const base = makeSchedule(name, 1000);
      const z = scheduleFromBetas(rescaleZeroTerminalSnr(base.betas), name);
      assert.equal(z.alphaBar[999], 0);
      assert.equal(z.sigma[999], Infinity);
      assert.ok(rel(z.alphaBar[0], base.alphaBar[0]) < 1e-12, name);
    }
  });

  it("shifts and scales √ᾱ linearly (Lin et al. 2024, Algorithm 1)", () => {
    const base = makeSchedule("scaled-linear", 1000);
    const z = makeSchedule("scaled-linear", 1000, {zeroTerminalSnr: true});
    const a0 = base.sqrtAlphaBar[0], aT = base.sqrtAlphaBar[999];
    for (const t of [0, 1, 100, 500, 998]) {
      const expected = ((base.sqrtAlphaBar[t] - aT) * a0) / (a0 - aT);
      assert.ok(Math.abs(z.sqrtAlphaBar[t] - expected) < 1e-12, `t=${t}`);
    }
  });
});

describe("alphaBarAfter / alphaBarAt / timestepForSigma", () => {
  const s = makeSchedule("linear", 1000);

  it("alphaBarAfter(0) is 1 and alphaBarAfter(k) is alphaBar[k−1]", () => {
    assert.equal(alphaBarAfter(s, 0), 1);
    assert.equal(alphaBarAfter(s, 1), s.alphaBar[0]);
    assert.equal(alphaBarAfter(s, 1000), s.alphaBar[999]);
    assert.throws(() => alphaBarAfter(s, 1001), RangeError);
    assert.throws(() => alphaBarAfter(s, 0.5), RangeError);
  });

  it("alphaBarAt agrees with alphaBar at integer t and interpolates log ᾱ between", () => {
    for (let t = 0; t < 1000; ++t) assert.equal(alphaBarAt(s, t), s.alphaBar[t]);
    const mid = alphaBarAt(s, 10.5);
    assert.ok(rel(mid, Math.sqrt(s.alphaBar[10] * s.alphaBar[11])) < 1e-14, "midpoint is the geometric mean");
    assert.throws(() => alphaBarAt(s, -0.1), RangeError);
    assert.throws(() => alphaBarAt(s, 999.5), RangeError);
  });

  it("alphaBarAt stays finite next to a zero-terminal-SNR end", () => {
    const z = makeSchedule("linear", 1000, {zeroTerminalSnr: true});
    assert.equal(alphaBarAt(z, 998), z.alphaBar[998]);
    assert.equal(alphaBarAt(z, 999), 0);
    assert.equal(alphaBarAt(z, 998.5), 0);
  });

  it("timestepForSigma inverts sigma at integer t and clamps outside the range", () => {
    for (const name of names) {
      const sch = makeSchedule(name, 1000);
      for (let t = 0; t < 1000; t += 37) assert.ok(Math.abs(timestepForSigma(sch, sch.sigma[t]) - t) < 1e-9, `${name} t=${t}`);
      assert.equal(timestepForSigma(sch, 0), 0);
      assert.equal(timestepForSigma(sch, 1e9), 999);
    }
  });

  it("timestepForSigma is linear in log σ between steps and nearly inverts alphaBarAt", () => {
    const sMid = Math.sqrt(s.sigma[400] * s.sigma[401]);
    assert.ok(Math.abs(timestepForSigma(s, sMid) - 400.5) < 1e-9);
    // The two interpolants (log σ vs log ᾱ) differ between steps; from t = 10 on the implied σ
    // agrees to 0.1%, far below what a sampler step changes.
    for (const sigma of karrasSigmas(30, {sigmaMin: s.sigma[10], sigmaMax: s.sigma[999]}).subarray(0, 30)) {
      const ab = alphaBarAt(s, timestepForSigma(s, sigma));
      assert.ok(rel(Math.sqrt((1 - ab) / ab), sigma) < 1e-3, `σ=${sigma}`);
    }
  });
});

describe("karrasSigmas", () => {
  it("has length n+1: sigmaMax first, sigmaMin last before the final 0", () => {
    const k = karrasSigmas(18);
    assert.equal(k.length, 19);
    assert.equal(k[0], 80);
    assert.equal(k[17], 0.002);
    assert.equal(k[18], 0);
  });

  it("is strictly decreasing and matches eq. 5 at an interior index", () => {
    const k = karrasSigmas(10, {sigmaMin: 0.01, sigmaMax: 10, rho: 7});
    for (let i = 1; i < k.length; ++i) assert.ok(k[i] < k[i - 1]);
    const expected = (10 ** (1 / 7) + (4 / 9) * (0.01 ** (1 / 7) - 10 ** (1 / 7))) ** 7;
    assert.ok(rel(k[4], expected) < 1e-12);
  });

  it("with rho = 1 is evenly spaced in σ", () => {
    const k = karrasSigmas(5, {sigmaMin: 1, sigmaMax: 5, rho: 1});
    assert.deepEqual(Array.from(k), [5, 4, 3, 2, 1, 0]);
  });
});

describe("ScheduleSpec", () => {
  it("checkScheduleSpec accepts every name of SCHEDULES with an integer T ≥ 1", () => {
    for (const {name} of SCHEDULES) assert.deepEqual(checkScheduleSpec({name, T: 7}), {name, T: 7});
  });

  it("checkScheduleSpec refuses an unknown name, listing the known ones, and a T that is not a positive integer", () => {
    assert.throws(() => checkScheduleSpec({name: "quadratic", T: 10}), /unknown schedule "quadratic"; the known ones are linear, scaled-linear, cosine, sigmoid/);
    assert.throws(() => checkScheduleSpec({name: "edm", T: 10}), /unknown schedule "edm"/);
    assert.throws(() => checkScheduleSpec({T: 10}), /unknown schedule undefined/);
    for (const T of [0, 2.5, -3, "100", undefined]) assert.throws(() => checkScheduleSpec({name: "cosine", T}), /schedule T must be an integer ≥ 1/);
  });

  it("isScheduleName knows exactly SCHEDULES' names", () => {
    assert.deepEqual(["linear", "scaled-linear", "cosine", "sigmoid", "custom", "Cosine", 3].map(isScheduleName), [true, true, true, true, false, false, false]);
  });
});
