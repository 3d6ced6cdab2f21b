// Which training timesteps a few-step sampler visits. The three spacings are those of Hugging Face
// diffusers' `timestep_spacing` (DDIMScheduler.set_timesteps), compared in Lin et al. 2024,
// "Common Diffusion Noise Schedules and Sample Steps Are Flawed", Table 2.

/** How `steps` timesteps are picked out of 0…T−1. */
export type Spacing = "leading" | "trailing" | "linspace";

/** Options for {@link timesteps}. */
export interface TimestepOptions {
  /** Spacing rule; default "trailing". */
  spacing?: Spacing;
  /** Added to every "leading" timestep (diffusers' `steps_offset`; Stable Diffusion uses 1). Default 0. */
  offset?: number;
}

/**
 * `steps` distinct integer timesteps of a T-step schedule, in the order a sampler visits them
 * (descending). After the last one a sampler steps to clean data (ᾱ = 1).
 *
 * - "linspace": round(linspace(0, T−1, steps)), reversed. Starts at T−1 and ends at 0.
 * - "leading": k·⌊T/steps⌋ + offset for k = steps−1…0. Ends at 0 (+offset) but starts at
 *   (steps−1)·⌊T/steps⌋, short of T−1: the first step never sees pure noise, which is the flaw
 *   Lin et al. 2024 point out in Stable Diffusion's default.
 * - "trailing": round(T − k·T/steps) − 1 for k = 0…steps−1. Starts at T−1; ends at ⌊T/steps⌋−1 or
 *   so, leaving the last step the largest jump to clean data. Lin et al. 2024 recommend it.
 *
 * Rounding is half-to-even, as numpy's `round` is, so the lists equal diffusers' to the integer.
 */
export function timesteps(T: number, steps: number, options: TimestepOptions = {}): number[] {
  const {spacing = "trailing", offset = 0} = options;
  if (!Number.isInteger(T) || T < 1) throw new Error(`T must be a positive integer, got ${T}`);
  if (!Number.isInteger(steps) || steps < 1 || steps > T) {
    throw new Error(`steps must be an integer in [1, ${T}], got ${steps}`);
  }
  const ts: number[] = [];
  if (spacing === "linspace") {
    for (let k = steps - 1; k >= 0; k--) ts.push(steps === 1 ? 0 : roundHalfEven((k * (T - 1)) / (steps - 1)));
  } else if (spacing === "leading") {
    const ratio = Math.floor(T / steps);
    for (let k = steps - 1; k >= 0; k--) ts.push(k * ratio + offset);
  } else if (spacing === "trailing") {
    const ratio = T / steps;
    for (let k = 0; k < steps; k++) ts.push(roundHalfEven(T - k * ratio) - 1);
  } else {
    throw new Error(`unknown spacing "${spacing as string}"`);
  }
  for (const t of ts) if (t < 0 || t > T - 1) throw new Error(`timestep ${t} is outside [0, ${T - 1}]`);
  return ts;
}

/** numpy's round: halves go to the even neighbour. */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
