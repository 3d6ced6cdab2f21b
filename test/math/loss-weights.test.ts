// The per-t weights of the losses in ε units, against hand-computed values and the closed forms of
// Kingma et al. 2021 and Kingma & Gao 2023.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {elboWeights, lambdaWeighting, minSnrWeights, targetWeights} from "../../components/math/loss-weights.js";
import {makeSchedule} from "../../components/math/schedules.js";

const linear = makeSchedule("linear", 1000), cosine = makeSchedule("cosine", 1000);
const close = (a: number, b: number, rel: number, what: string) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${what}: ${a} vs ${b}`);

describe("elboWeights (Ho et al. 2020, eq. 12)", () => {
  it("matches values computed by hand for DDPM's linear schedule", () => {
    // β₀ = 1e-4, β₁ = 1e-4 + 0.0199/999; with exact fractions: w₁ = β₁/(2α₁(1−ᾱ₁)) for σ² = β,
    // w₁ = β₁²/(2β̃₁α₁(1−ᾱ₁)) for σ² = β̃, and w₀ = 1/(2α₀) for σ² = β.
    const beta = elboWeights(linear, "beta"), tilde = elboWeights(linear, "betaTilde");
    close(beta[0], 0.5000500050005, 1e-12, "w₀, σ² = β");
    close(beta[1], 0.2726920842780397, 1e-9, "w₁, σ² = β");
    close(tilde[1], 0.599671512159316, 1e-9, "w₁, σ² = β̃");
    assert.equal(tilde[0], Infinity);
  });

  it("with σ² = β̃ is VDM's discrete bound ½(SNR_{t−1}/SNR_t − 1)", () => {
    for (const schedule of [linear, cosine]) {
      const w = elboWeights(schedule, "betaTilde");
      for (const t of [1, 10, 200, 500, 900, 998]) close(w[t], 0.5 * (schedule.snr[t - 1] / schedule.snr[t] - 1), 1e-8, `${schedule.name} t=${t}`);
    }
  });

  it("with σ² = β is smaller than with β̃, by the factor β̃/β = (1−ᾱ_{t−1})/(1−ᾱ_t)", () => {
    const beta = elboWeights(cosine, "beta"), tilde = elboWeights(cosine, "betaTilde");
    for (const t of [1, 50, 500]) close(beta[t] / tilde[t], cosine.sqrtOneMinusAlphaBar[t - 1] ** 2 / cosine.sqrtOneMinusAlphaBar[t] ** 2, 1e-9, `t=${t}`);
  });
});

describe("targetWeights and minSnrWeights", () => {
  it("put x0 at 1/SNR and v at 1/ᾱ in ε units; Min-SNR-γ at min(SNR, γ)/SNR", () => {
    const x0 = targetWeights(cosine, "x0"), v = targetWeights(cosine, "v"), eps = targetWeights(cosine, "eps"), ms = minSnrWeights(cosine, 5);
    for (const t of [0, 100, 500, 900]) {
      assert.equal(eps[t], 1);
      close(x0[t], 1 / cosine.snr[t], 1e-12, "x0");
      close(v[t], 1 / cosine.alphaBar[t], 1e-9, "v");
      close(ms[t], cosine.snr[t] > 5 ? 5 / cosine.snr[t] : 1, 1e-12, "min-SNR");
    }
    assert.throws(() => minSnrWeights(cosine, 0), RangeError);
  });
});

describe("lambdaWeighting (Kingma & Gao 2023)", () => {
  const s = 0.008, k = (1 + s) / Math.PI;
  // Within |λ| < 4: beyond it the discrete schedule's ᾱ_t = f(t + 1)/f(0) (diffusers' indexing and
  // normalisation) departs from the continuous cos² enough to move the weights by more than 1%.
  const middle = (f: (t: number) => void) => { for (let t = 0; t < 1000; ++t) if (Math.abs(cosine.logSnr[t]) < 4) f(t); };

  it("turns ε-MSE on the cosine schedule into ((1 + s)/π)·sech(λ/2)", () => {
    const w = lambdaWeighting(cosine, targetWeights(cosine, "eps"));
    middle((t) => close(w[t], k / Math.cosh(cosine.logSnr[t] / 2), 0.01, `λ=${cosine.logSnr[t]}`));
  });

  it("turns v-MSE on the cosine schedule into ((1 + s)/π)·2e^{−λ/2}", () => {
    const w = lambdaWeighting(cosine, targetWeights(cosine, "v"));
    middle((t) => close(w[t], 2 * k * Math.exp(-cosine.logSnr[t] / 2), 0.01, `λ=${cosine.logSnr[t]}`));
  });

  it("turns the ELBO's own weights (a sum over t: T·w_t as a mean) into w(λ) ≈ 1 on any schedule", () => {
    for (const schedule of [linear, cosine]) {
      const w = lambdaWeighting(schedule, elboWeights(schedule, "betaTilde").map((v) => schedule.T * v));
      for (const t of [100, 300, 500, 700]) close(w[t], 1, 0.02, `${schedule.name} t=${t}`);
    }
  });
});
