// The cache key of the shipped model (src/data/model.json.ts): a hash of its recipe and of the code
// of every module that shapes its weights, so any change to either retrains it. Node only.
import {createHash} from "node:crypto";
import {readFileSync} from "node:fs";
import {DEFAULT_CONFIG, DEFAULT_SCHEDULE} from "./defaults.js";
import {SHIPPED_MODEL} from "./shipped-model.js";
import {SHIPPED_CONDITIONAL_MODEL} from "./shipped-conditional-model.js";

/** Every module that shapes the shipped weights, as paths under components/. */
const SOURCES = [
  "model/defaults", "model/trainer", "model/trainer-config", "model/adam", "model/divergence", "model/denoiser", "model/denoiser-config",
  "model/embedding", "model/ema", "model/weights", "math/datasets", "math/schedules", "math/random", "model/shipped-model",
];

/** What else shapes the shipped conditional model's weights: its trainer, its data and its recipe. */
const CONDITIONAL_SOURCES = [...SOURCES, "model/conditional-trainer", "math/labelled", "model/shipped-conditional-model"];

/** The cached weights file's path under `root` (the repository, ending in "/"). */
export function shippedModelPath(root: string): string {
  return `${root}data/shipped-model/${codeKey(root, [SHIPPED_MODEL, DEFAULT_CONFIG, DEFAULT_SCHEDULE], SOURCES)}.json`;
}

/** The cached conditional model's path under `root`, keyed the same way (data/shipped-conditional-model/<key>.json). */
export function shippedConditionalModelPath(root: string): string {
  return `${root}data/shipped-conditional-model/${codeKey(root, [SHIPPED_CONDITIONAL_MODEL, DEFAULT_CONFIG, DEFAULT_SCHEDULE], CONDITIONAL_SOURCES)}.json`;
}

/**
 * A 16-hex-digit hash of `recipe` and of the code of `modules` (paths under components/, no
 * extension), for build-time results cached in data/. Comments, import lines and blank lines are
 * left out, so documenting the code or moving a module between folders does not force a rebuild.
 */
export function codeKey(root: string, recipe: readonly unknown[], modules: readonly string[]): string {
  const sources = modules.map((name) => readFileSync(`${root}components/${name}.ts`, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "")
    .replace(/^import\b[^;]*?from\s*"[^"]*";\s*$/gm, "").replace(/^export\s*(\*|\{[^}]*\})\s*from\s*"[^"]*";\s*$/gm, "")
    .replace(/\n\s*\n/g, "\n"));
  return createHash("sha256").update(JSON.stringify([...recipe, sources])).digest("hex").slice(0, 16);
}
