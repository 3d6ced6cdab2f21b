// The cache key of the Reverse process chapter's learned-variance model and report
// (src/data/learned-variance.json.ts): its recipe, the chart settings it is computed for, and the
// code of every module that shapes it. Node only.
import {codeKey, SHIPPED_SOURCES} from "./shipped-model-key.js";
import {VARIANCE_MODEL, type ReportSpec} from "./chapter-variance.js";

/** The shipped model's training code, the variance head and trainer, and the modules the report measures with. */
const SOURCES = [...SHIPPED_SOURCES, "model/learned-variance", "model/chapter-variance", "math/learned-variance", "math/analytic-dpm", "math/mixture",
  "math/forward", "math/metrics", "samplers/learned-ddpm", "samplers/variance-sweep", "samplers/ddpm", "samplers/grid", "samplers/common", "samplers/quality-sweep"];

/** The cached file's path under `root` (the repository, ending in "/") for the report of `spec`. */
export function varianceModelPath(root: string, spec: ReportSpec): string {
  return `${root}data/learned-variance/${codeKey(root, [VARIANCE_MODEL, spec], SOURCES)}.json`;
}
