// Classifier-free guidance (Ho & Salimans 2021, "Classifier-Free Diffusion Guidance", eq. 6): one
// network trained both with and without its condition (the condition dropped at random in training)
// gives both ε̂(x_t, c) and ε̂(x_t, ∅), and sampling follows
//   ε̃ = (1 + w)·ε̂(x_t, c) − w·ε̂(x_t, ∅),
// which for w > 0 pushes samples towards what the condition makes likelier than it was without it,
// trading diversity for fidelity. w = 0 is the plain conditional model. Hugging Face diffusers and
// Stable Diffusion call s = 1 + w the guidance scale: ε̃ = ε̂_∅ + s·(ε̂_c − ε̂_∅).
import type {Denoiser} from "../math/types.js";

/** ε̃ = (1 + w)·epsCond − w·epsUncond, elementwise. epsCond, epsUncond: [n, d]. */
export function cfgCombine(epsCond: ArrayLike<number>, epsUncond: ArrayLike<number>, w: number): Float64Array {
  if (epsCond.length !== epsUncond.length) throw new RangeError(`cfgCombine: ${epsCond.length} conditional values but ${epsUncond.length} unconditional`);
  const out = new Float64Array(epsCond.length);
  for (let i = 0; i < out.length; ++i) out[i] = (1 + w) * epsCond[i] - w * epsUncond[i];
  return out;
}

/** Both predictions of a conditional network at (x_t, t): with its condition and with the empty one. */
export type PairedEps = (xt: Float64Array, t: number) => Promise<{cond: Float64Array; uncond: Float64Array | null}>;

/**
 * A Denoiser that follows classifier-free guidance with weight w: `paired` returns ε̂ with and without
 * the condition (it may skip the unconditional pass, returning null, when w = 0).
 */
export function guidedDenoiser(d: number, paired: PairedEps, w: number): Denoiser {
  return {
    d,
    async eps(xt, t) {
      const {cond, uncond} = await paired(xt, t);
      if (w === 0) return cond;
      if (!uncond) throw new Error("guidedDenoiser: guidance needs the unconditional prediction");
      return cfgCombine(cond, uncond, w);
    },
  };
}
