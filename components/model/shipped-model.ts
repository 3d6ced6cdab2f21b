// What the site's shipped model (src/data/model.json.ts) is trained on: the default data set of every
// chapter. "ring" is the 8-Gaussian data set, which is exactly the "ring" mixture in mixture.ts, so
// every learned quantity of the shipped model has an exact counterpart to compare with.
import type {DatasetName} from "../math/datasets.js";
import type {MixtureName} from "../math/mixture.js";

export const SHIPPED_MODEL = {
  dataset: "ring" as DatasetName,
  mixture: "ring" as MixtureName,
  n: 4000,
  dataSeed: 1,
  seed: 1,
  steps: 1000,
  /** Where /training leaves the reader's latest model for the other chapters (localStorage). */
  storageKey: "diffusion-lab:model",
} as const;
