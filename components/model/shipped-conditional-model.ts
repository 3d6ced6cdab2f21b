// What the site's shipped conditional model (src/data/conditional-model.json.ts) is trained on: the
// 8-Gaussian set with a class per mode, drawn from its exact labelled mixture, so /guidance can put
// the trained ε_θ(x_t, t, c) beside the exact conditional model on first load.
import type {LabelledName} from "../math/labelled.js";

export const SHIPPED_CONDITIONAL_MODEL = {
  labelled: "ring-modes" as LabelledName,
  n: 4000,
  dataSeed: 1,
  seed: 1,
  steps: 1500,
  /** Label dropout p_uncond (Ho & Salimans 2022, §3.2). */
  pUncond: 0.2,
} as const;
