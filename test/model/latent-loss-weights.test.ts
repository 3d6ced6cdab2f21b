// The latent denoisers' Min-SNR-γ loss weights (Hang et al. 2023, for v-prediction):
// min(SNR, γ)/(SNR + 1) with SNR = ᾱ/(1 − ᾱ) is ᾱ wherever SNR ≤ γ and γ·(1 − ᾱ) wherever SNR ≥ γ,
// and γ = 0 leaves the plain v-loss (every timestep weighted 1).
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {lossWeights} from "../../components/model/latent/diffusion.js";
import {makeSchedule} from "../../components/math/schedules.js";

const schedule = makeSchedule("cosine", 1000);

describe("Min-SNR-γ loss weights", () => {
  it("are 1 at every timestep when γ = 0", () => {
    assert.ok(lossWeights(schedule, 0).every((w) => w === 1));
  });

  it("equal ᾱ_t where SNR_t ≤ γ and γ·(1 − ᾱ_t) where SNR_t ≥ γ, for γ = 5", () => {
    const w = lossWeights(schedule, 5);
    let low = 0, high = 0;
    schedule.alphaBar.forEach((ab, t) => {
      const snr = ab / (1 - ab), expected = snr <= 5 ? ab : 5 * (1 - ab);
      assert.ok(Math.abs(w[t] - expected) < 1e-6, `t=${t}: ${w[t]} against ${expected}`);
      if (snr <= 5) ++low; else ++high;
    });
    assert.ok(low > 100 && high > 100, `both regimes present: ${low} and ${high} timesteps`);
  });

  it("never exceed 1 and fall toward 0 at both ends of the schedule", () => {
    const w = lossWeights(schedule, 5);
    assert.ok(w.every((x) => x > 0 && x <= 1));
    assert.ok(w[0] < 0.01 && w[999] < 0.01, `w(0) = ${w[0]}, w(999) = ${w[999]}`);
  });
});
