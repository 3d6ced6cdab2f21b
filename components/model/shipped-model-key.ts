// The cache key of the shipped model (src/data/model.json.ts): a hash of its recipe and of the code
// of every module that shapes its weights, so any change to either retrains it. Node only.
import {createHash} from "node:crypto";
import {readFileSync} from "node:fs";
import {DEFAULT_CONFIG, DEFAULT_SCHEDULE} from "./defaults.js";
import {SHIPPED_MODEL} from "./shipped-model.js";

/** Every module that shapes the shipped weights, as paths under components/. */
const SOURCES = [
  "model/defaults", "model/trainer", "model/trainer-config", "model/adam", "model/divergence", "model/denoiser", "model/denoiser-config",
  "model/embedding", "model/ema", "model/weights", "math/datasets", "math/schedules", "math/random", "model/shipped-model",
];

/** The cached weights file's path under `root` (the repository, ending in "/"). */
export function shippedModelPath(root: string): string {
  // Comments, import lines and blank lines are left out, so documenting the code or moving a module
  // between folders does not force a retrain.
  const sources = SOURCES.map((name) => readFileSync(`${root}components/${name}.ts`, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "")
    .replace(/^import\b[^;]*?from\s*"[^"]*";\s*$/gm, "").replace(/^export\s*(\*|\{[^}]*\})\s*from\s*"[^"]*";\s*$/gm, "")
    .replace(/\n\s*\n/g, "\n"));
  const key = createHash("sha256").update(JSON.stringify([SHIPPED_MODEL, DEFAULT_CONFIG, DEFAULT_SCHEDULE, sources])).digest("hex").slice(0, 16);
  return `${root}data/shipped-model/${key}.json`;
}
