// Sampling a text-conditioned diffusion model: DDIM (η = 0) from the site's samplers on the
// guided ε̂ of classifier-free guidance, keeping x̂0 and the cross-attention weights of every step
// when asked (the chapter's film strip and attention maps).
import {ddimSteps} from "../../samplers/ddim.js";
import {guidedDenoiser} from "../../samplers/cfg.js";
import {rngFromSeed} from "../../math/random.js";
import {EMPTY_CAPTION, type TextDiffusion} from "./diffusion.js";

export interface GenerateOptions {
  /** DDIM steps on the "trailing" grid (Lin et al. 2024), so the first step starts from pure noise. */
  steps: number;
  /** Guidance weight w of ε̃ = (1 + w)·ε̂_c − w·ε̂_∅ (0: the conditional model alone). */
  guidance: number;
  seed: number;
  /** Keep x̂0 of every step. */
  trajectory?: boolean;
  /** Keep the conditional pass's cross-attention weights of every step. */
  attention?: boolean;
}

export interface Generated {
  /** Final tokens x0, [n, d] (n = number of captions). */
  x: Float64Array;
  /** x̂0 predicted at each step, each [n, d] (with `trajectory`). */
  x0s: Float64Array[];
  /** Cross-attention at each step, each [n, tokens, L] (with `attention`). */
  attention: Float32Array[];
  /** Timestep of each step. */
  ts: number[];
}

/** One sample per caption (token ids, as tokenize gives them; repeat a caption for several images). */
export async function generate(model: TextDiffusion, captions: readonly Int32Array[], o: GenerateOptions): Promise<Generated> {
  const n = captions.length, w = o.guidance;
  const attention: Float32Array[] = [], ts: number[] = [], x0s: Float64Array[] = [];
  let x: Float64Array = new Float64Array(0);
  // With guidance, one batch of 2n rows: the captions' and the empty caption's predictions at the same x_t.
  const rows = w === 0 ? captions : [...captions, ...captions.map(() => EMPTY_CAPTION)];
  await model.withCaptions(rows, async (predict) => {
    const paired = async (xt: Float64Array, t: number) => {
      ts.push(t);
      if (w === 0) {
        const c = await predict(xt, t, {attention: o.attention});
        if (c.attention) attention.push(c.attention);
        return {cond: c.eps, uncond: null};
      }
      const both = new Float64Array(2 * xt.length);
      both.set(xt);
      both.set(xt, xt.length);
      const r = await predict(both, t, {attention: o.attention});
      if (r.attention) attention.push(r.attention.slice(0, r.attention.length / 2));
      return {cond: r.eps.subarray(0, xt.length), uncond: r.eps.subarray(xt.length)};
    };
    for await (const state of ddimSteps(guidedDenoiser(model.d, paired, w), model.schedule, {n}, {steps: o.steps, eta: 0, spacing: "trailing", rng: rngFromSeed(o.seed)})) {
      if (o.trajectory && state.x0) x0s.push(state.x0);
      x = state.x;
    }
  });
  return {x, x0s, attention, ts};
}
