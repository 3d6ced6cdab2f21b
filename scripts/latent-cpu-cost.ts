// CPU time of the latent chapter's budgets on the site's wasm backend in Node (the browser's own
// binary, one thread): on a machine shared with other jobs wall time mostly measures them, while
// process CPU time is what the same work costs on an idle core.
//
//   npx tsx scripts/latent-cpu-cost.ts
//
// Prints, from the shipped weights: CPU ms for 16 images × 20 DDIM steps with CFG (w = 3), decoded,
// per space (median of 5 seeds); CPU ms per training step of each network at the recipe's batch; and
// the CPU seconds that training from scratch to the recipe's step counts would take.
import {readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {useNodeWasm} from "../components/model/latent/node-wasm.js";
import {latentModelPath} from "../components/model/latent/shipped-key.js";
import {parseLatentWeights} from "../components/model/latent/weights-file.js";
import {LatentPipeline, networkSizes} from "../components/model/latent/pipeline.js";
import {idsOf} from "../components/math/tokenizer.js";

const cpuMs = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

await useNodeWasm();
const root = fileURLToPath(new URL("../", import.meta.url));
const weights = parseLatentWeights(readFileSync(latentModelPath(root), "utf8"), networkSizes);
const p = LatentPipeline.fromWeights(weights);
const caption = idsOf(["large", "red", "circle", "left"]);
for (const space of ["latent", "pixel"] as const) {
  await p.sample(space, caption, {n: 16, steps: 2, guidance: 3, seed: 1});
  const cpu: number[] = [], wall: number[] = [];
  for (let seed = 101; seed < 106; ++seed) {
    const c0 = cpuMs(), w0 = performance.now();
    await p.sample(space, caption, {n: 16, steps: 20, guidance: 3, seed});
    cpu.push(cpuMs() - c0); wall.push(performance.now() - w0);
  }
  console.log(`${space}: 16 images × 20 CFG steps, decoded: ${median(cpu).toFixed(0)} CPU ms (wall ${median(wall).toFixed(0)} ms), median of 5`);
}
const u = LatentPipeline.untrained(weights.recipe, weights.weights.classifier, 1);
const stages: [string, {runChunk(n: number): Promise<unknown>}, number][] = [["autoencoder", u.autoencoder, weights.recipe.autoencoder.train.steps]];
let total = 0;
for (const [name, model, steps] of stages) {
  await model.runChunk(3);
  const c0 = cpuMs();
  await model.runChunk(30);
  const per = (cpuMs() - c0) / 30;
  total += per * steps / 1000;
  console.log(`${name}: ${per.toFixed(1)} CPU ms per training step × ${steps} steps = ${(per * steps / 1000).toFixed(0)} CPU s`);
}
const cost = await p.measureCost(30);
for (const space of ["latent", "pixel"] as const) console.log(`${space} denoiser (measureCost, wall): ${cost[space].msPerStep.toFixed(1)} ms per training step, ${cost[space].msPerImage.toFixed(1)} ms per image`);
console.log(`autoencoder from scratch: ${total.toFixed(0)} CPU s before the latent denoiser starts`);
u.dispose(); p.dispose();
