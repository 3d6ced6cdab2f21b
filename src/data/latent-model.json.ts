// The latent-diffusion chapter's shipped weights: the autoencoder, both denoisers and the attribute
// classifier trained at build time with DEFAULT_RECIPE, so the page samples on first load.
//
// Training runs on tfjs's wasm backend in Node (the browser's own binary, ~minutes on a busy 2-core
// machine) and the result is cached in data/latent-model/<key>.json (see shipped-key.ts); a changed
// recipe or training code misses the cache and retrains: commit the new file, `git rm` the old one.
import {existsSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {useNodeWasm} from "../../components/model/latent/node-wasm.js";
import {trainAll} from "../../components/model/latent/train-all.js";
import {DEFAULT_RECIPE} from "../../components/model/latent/recipe.js";
import {encodeLatentWeights} from "../../components/model/latent/weights-file.js";
import {latentModelPath} from "../../components/model/latent/shipped-key.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const cached = latentModelPath(root);

if (!existsSync(cached)) {
  await useNodeWasm();
  const weights = await trainAll(DEFAULT_RECIPE, (line) => process.stderr.write(`latent model: ${line}\n`));
  mkdirSync(`${root}data/latent-model`, {recursive: true});
  writeFileSync(cached, encodeLatentWeights(weights));
  process.stderr.write(`trained the latent-diffusion models: ${cached} (commit it)\n`);
}
process.stdout.write(readFileSync(cached, "utf8"));
