// CPU ms per training step of the latent chapter's networks under recipe variants, on the site's
// wasm backend in Node: what a recipe change costs before its quality is measured.
//
//   npx tsx scripts/latent-step-cost.ts "latent.net.width=48" "latent.net.width=64 latent.train.batch=32" ...
//
// Each argument is one variant (space-separated key=value overrides of DEFAULT_RECIPE, as in
// latent-sweep.ts); "" is the recipe itself. Prints the autoencoder's and the latent denoiser's CPU ms
// per step (median of 3 chunks of 10 steps after 3 warm-up steps) and their parameter counts.
import {useNodeWasm} from "../components/model/latent/node-wasm.js";
import {DEFAULT_RECIPE} from "../components/model/latent/recipe.js";
import {withOverrides} from "./latent-overrides.js";
import {Autoencoder} from "../components/model/latent/autoencoder.js";
import {TextDiffusion} from "../components/model/latent/diffusion.js";
import {makeSchedule} from "../components/math/schedules.js";
import {allCombinations} from "../components/math/toy-images.js";
import type {Trainable} from "../components/model/latent/trainable.js";

const cpuMs = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };

async function perStep(model: Trainable): Promise<number> {
  await model.runChunk(3);
  const runs: number[] = [];
  for (let k = 0; k < 3; ++k) {
    const c0 = cpuMs();
    await model.runChunk(10);
    runs.push((cpuMs() - c0) / 10);
  }
  return runs.sort((a, b) => a - b)[1];
}

await useNodeWasm();
const schedule = makeSchedule(DEFAULT_RECIPE.schedule.name, DEFAULT_RECIPE.schedule.T);
const attributes = allCombinations();
for (const spec of process.argv.slice(2)) {
  const r = withOverrides(spec);
  const a = r.autoencoder;
  const ae = new Autoencoder({net: a.net, plan: a.train, klWeight: a.klWeight, seed: 1, data: new Float32Array(attributes.length * a.net.cells * a.net.patchValues).map(() => Math.random() * 2 - 1)});
  const d = r.latent.net.tokens * r.latent.net.channels;
  const den = new TextDiffusion({recipe: r.latent, schedule, seed: 1, data: {x: new Float32Array(attributes.length * d).map(() => Math.random()), attributes}});
  const aeMs = await perStep(ae), denMs = await perStep(den);
  const aeS = aeMs * a.train.steps / 1000, denS = denMs * r.latent.train.steps / 1000;
  console.log(`[${spec || "recipe"}] autoencoder ${aeMs.toFixed(1)} ms/step × ${a.train.steps} = ${aeS.toFixed(0)} s (${ae.set.size} params); latent ${denMs.toFixed(1)} ms/step × ${r.latent.train.steps} = ${denS.toFixed(0)} s (${den.set.size} params); total ${(aeS + denS).toFixed(0)} CPU s`);
  ae.dispose(); den.dispose();
}
