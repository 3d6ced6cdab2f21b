// What the site's shipped conditional model (src/data/conditional-model.json.ts) is trained on: the
// 8-Gaussian set with a class per mode, drawn from its exact labelled mixture, so /guidance can put
// the trained ε_θ(x_t, t, c) beside the exact conditional model on first load.
import type {LabelledName} from "../math/labelled.js";

export const SHIPPED_CONDITIONAL_MODEL = {
  labelled: "ring-modes" as LabelledName,
  n: 4000,
  dataSeed: 1,
  seed: 1,
  /**
   * Measured over classes east, west and south-west (DDIM, 100 steps): at w = 3, 1,500 steps left 43%
   * of the samples past the class's 99% region, 4,000 steps (lr decayed over all of them) 26%, the exact
   * model 6%; at w = 0 both were ≥ 99.5% in class. Guidance multiplies the network's error in
   * ε(c) − ε(∅) by w, so this model trains longer than the unconditional one.
   */
  steps: 4000,
  /** Overrides of DEFAULT_CONFIG. */
  config: {decaySteps: 4000},
  /** Trained with tfjs's wasm backend in Node (SIMD, one thread): ~25 s for 4,000 steps where the cpu backend takes minutes. */
  backend: "wasm",
  /** Label dropout p_uncond (Ho & Salimans 2022, §3.2). */
  pUncond: 0.2,
} as const;
