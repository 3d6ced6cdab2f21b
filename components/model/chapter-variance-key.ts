// The cache key of the Reverse process chapter's learned-variance model and report
// (src/data/learned-variance.json.ts): its recipe, the chart settings it is computed for, and the
// code of every module that shapes it. Node only.
import {codeKey} from "./shipped-model-key.js";
import {VARIANCE_MODEL, type ReportSpec} from "./chapter-variance.js";

/**
 * Every module that shapes the file: the network, optimiser, EMA and data the variance trainer uses
 * (not trainer.ts, which it does not run, so changes there leave this model alone), the variance head
 * and its trainer, and the modules the report measures with.
 */
const SOURCES = [
  "model/defaults", "model/trainer-config", "model/adam", "model/ema", "model/flat", "model/denoiser", "model/denoiser-config", "model/embedding",
  "model/weights", "model/shipped-model", "model/learned-variance", "model/chapter-variance",
  "math/datasets", "math/schedules", "math/random", "math/learned-variance", "math/analytic-dpm", "math/mixture", "math/forward", "math/metrics",
  "samplers/learned-ddpm", "samplers/variance-sweep", "samplers/ddpm", "samplers/grid", "samplers/common", "samplers/timesteps", "samplers/sampling-plan", "samplers/quality-sweep",
];

/** The cached file's path under `root` (the repository, ending in "/") for the report of `spec`. */
export function varianceModelPath(root: string, spec: ReportSpec): string {
  return `${root}data/learned-variance/${codeKey(root, [VARIANCE_MODEL, spec], SOURCES)}.json`;
}
