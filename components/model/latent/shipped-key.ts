// Where the build caches the latent-diffusion chapter's shipped weights (src/data/latent-model.json.ts):
// data/latent-model/<key>.json, the key a hash of the recipe and of the code of every module that
// shapes the weights, so a change to either retrains (seeded: the same recipe gives the same file).
// Comments, blank lines and import lines are left out, so documenting or moving code does not
// retrain. The samplers and metrics are not in the key: they change the numbers the build measured
// (the unit tests measure them again), not the weights. Node only.
import {createHash} from "node:crypto";
import {readFileSync} from "node:fs";
import {DEFAULT_RECIPE} from "./recipe.js";

/** Every module that shapes the shipped weights, as paths under components/. */
const SOURCES = [
  "math/toy-images", "math/tokenizer", "math/patches", "math/random", "math/schedules",
  "model/latent/layers", "model/latent/fast-ops", "model/latent/param-set", "model/latent/trainable",
  "model/latent/autoencoder-net", "model/latent/autoencoder", "model/latent/text-encoder", "model/latent/denoiser-net",
  "model/latent/diffusion", "model/latent/classifier", "model/latent/pipeline",
  "model/latent/recipe", "model/latent/train-all", "model/latent/weights-file",
];

/** The cache file's path under `root` (the repository, ending in "/"). */
export function latentModelPath(root: string): string {
  const sources = SOURCES.map((name) => readFileSync(`${root}components/${name}.ts`, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "")
    .replace(/^import\b[^;]*?from\s*"[^"]*";\s*$/gm, "").replace(/^export\s*(\*|\{[^}]*\})\s*from\s*"[^"]*";\s*$/gm, "")
    .replace(/\n\s*\n/g, "\n"));
  const key = createHash("sha256").update(JSON.stringify([DEFAULT_RECIPE, sources])).digest("hex").slice(0, 16);
  return `${root}data/latent-model/${key}.json`;
}
