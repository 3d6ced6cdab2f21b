// Recipe sweeps for the latent-diffusion chapter, on the site's wasm backend in Node (the same
// binary as the browser, so the same curves; step times similar).
//
//   npx tsx scripts/latent-sweep.ts [key=value ...] [--stages classifier,autoencoder,latent,pixel]
//        [--every 250] [--guidance 0,3] [--prompts 16] [--seed 5] [--eval-only]
//
// key=value overrides DEFAULT_RECIPE by path, e.g. latent.net.width=48 autoencoder.train.lr=0.01
// latent.train.steps=2000. Stages run in order; a stage not listed is loaded from the cache in
// node_modules/.cache/latent-sweep/ (trained there by an earlier run with the same settings) or trained first.
// Printed per stage: CPU ms per step (process CPU time: on a machine shared with other jobs, wall
// time mostly measures them), and for the denoisers prompt accuracy (mean over attributes, and all
// four) on training and held-out prompts every --every steps, against CPU seconds of training.
// --eval-only scores the cached weights of an earlier run with the same settings (e.g. at other
// guidance scales, more prompts or another noise --seed) without training.
import {createHash} from "node:crypto";
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from "node:fs";
import {dirname} from "node:path";
import {fileURLToPath} from "node:url";
import {latentModelPath} from "../components/model/latent/shipped-key.js";
import {parseLatentWeights} from "../components/model/latent/weights-file.js";
import {useNodeWasm} from "../components/model/latent/node-wasm.js";
import type {LatentRecipe} from "../components/model/latent/recipe.js";
import {withOverrides} from "./latent-overrides.js";
import {LatentPipeline, networkSizes, type Space} from "../components/model/latent/pipeline.js";
import {AttributeClassifier} from "../components/model/latent/classifier.js";
import {sampleImages} from "../components/math/toy-images.js";
import {rngFromSeed} from "../components/math/random.js";
import {accuracy, accuracyCounts, addAccuracy, meanAttributeAccuracy} from "../components/math/image-metrics.js";
import type {Trainable} from "../components/model/latent/trainable.js";

const CACHE = "node_modules/.cache/latent-sweep";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

/** DEFAULT_RECIPE with the command line's key=value overrides. */
function recipeFromArgs(): LatentRecipe {
  return withOverrides(process.argv.slice(2).filter((a) => /^[\w.]+=/.test(a)).join(" "));
}

/** The shipped model's classifier when its recipe is `recipe`'s (the yardstick the page uses), else null. */
function shippedClassifier(recipe: LatentRecipe): Float32Array | null {
  const path = latentModelPath(fileURLToPath(new URL("../", import.meta.url)));
  const dir = dirname(path);
  const file = existsSync(path) ? path : readdirSync(dir).map((f) => `${dir}/${f}`).find((f) => f.endsWith(".json"));
  if (!file) return null;
  const w = parseLatentWeights(readFileSync(file, "utf8"), networkSizes);
  return JSON.stringify(w.recipe.classifier) === JSON.stringify(recipe.classifier) ? w.weights.classifier : null;
}

const cpuMs = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const hash = (x: unknown) => createHash("sha256").update(JSON.stringify(x)).digest("hex").slice(0, 12);
const cached = (name: string, key: unknown) => `${CACHE}/${name}-${hash(key)}.bin`;
const save = (path: string, a: Float32Array) => { mkdirSync(CACHE, {recursive: true}); writeFileSync(path, Buffer.from(a.buffer, a.byteOffset, a.byteLength)); };
const load = (path: string) => { const b = readFileSync(path); return {values: new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength))}; };

async function train(model: Trainable, label: string, onEvery?: (step: number, cpu: number) => Promise<void>, every = Infinity): Promise<void> {
  let cpu = 0;
  while (model.stepCount < model.plan.steps) {
    const c0 = cpuMs();
    const r = await model.runChunk(Math.min(25, model.plan.steps - model.stepCount));
    cpu += cpuMs() - c0;
    if (r.diverged) throw new Error(`${label} diverged: ${r.diverged}`);
    if (model.stepCount % every === 0 || model.stepCount === model.plan.steps) {
      console.log(`${label} step ${model.stepCount}: loss ${r.loss.toFixed(4)}, ${(cpu / 1000).toFixed(1)} CPU s, ${(cpu / model.stepCount).toFixed(1)} CPU ms/step`);
      await onEvery?.(model.stepCount, cpu);
    }
  }
}

async function main() {
  await useNodeWasm();
  const recipe = recipeFromArgs();
  const stages = arg("stages", "latent").split(",");
  const every = Number(arg("every", "250"));
  const guidance = arg("guidance", "0,3").split(",").map(Number);
  const prompts = Number(arg("prompts", "16"));
  const evalSeed = Number(arg("seed", "5"));

  // The classifier: the yardstick every other stage is scored with.
  const clsPath = cached("classifier", recipe.classifier);
  let classifier: AttributeClassifier;
  const shipped = shippedClassifier(recipe);
  if (!stages.includes("classifier") && !existsSync(clsPath) && shipped) save(clsPath, shipped);
  if (stages.includes("classifier") || !existsSync(clsPath)) {
    const data = sampleImages(recipe.classifier.images, rngFromSeed(3), {heldOut: "include"});
    classifier = new AttributeClassifier({hidden: recipe.classifier.hidden, plan: recipe.classifier.train, seed: recipe.seed, data});
    await train(classifier, "classifier", undefined, 500);
    const test = sampleImages(500, rngFromSeed(4), {heldOut: "include"});
    const read = await classifier.classify(test.pixels), counts = accuracyCounts();
    test.attributes.forEach((a, i) => addAccuracy(counts, a, [read[i]]));
    console.log(`classifier on clean images: ${JSON.stringify(accuracy(counts))}`);
    save(clsPath, classifier.emaWeights());
  } else classifier = new AttributeClassifier({hidden: recipe.classifier.hidden, plan: recipe.classifier.train, seed: recipe.seed, state: load(clsPath).values});

  const p = LatentPipeline.untrained(recipe, classifier.emaWeights(), recipe.seed);
  const aePath = cached("autoencoder", [recipe.autoencoder, recipe.images, recipe.dataSeed, recipe.seed, ...(recipe.jitter === 1 ? [] : [recipe.jitter])]);
  if (stages.includes("autoencoder") || !existsSync(aePath)) {
    await train(p.autoencoder, "autoencoder", undefined, 200);
    await p.finishStage("autoencoder");
    save(aePath, p.autoencoder.emaWeights());
    const r = await p.reconstruct(256, 11);
    const read = await classifier.classify(r.reconstructed), counts = accuracyCounts();
    r.attributes.forEach((a, i) => addAccuracy(counts, a, [read[i]]));
    console.log(`autoencoder: reconstruction MSE ${r.mse.toFixed(5)}, scale ${p.autoencoder.scale.toFixed(3)}; classifier on reconstructions ${JSON.stringify(accuracy(counts))}`);
  } else {
    p.autoencoder.load(load(aePath).values, recipe.autoencoder.train.steps);
    await p.finishStage("autoencoder");
  }

  for (const space of ["latent", "pixel"] as Space[]) {
    if (!stages.includes(space)) continue;
    if (space === "pixel") { p.includePixel = true; await p.finishStage("latent"); }
    const model = space === "latent" ? p.latent : p.pixel;
    console.log(`${space} denoiser: ${model.set.size} parameters`);
    const path = cached(space, [recipe, space]);
    const report = async (step: number, cpu: number) => {
      for (const w of guidance) {
        const e = await p.evaluate(space, w, {prompts, perPrompt: 4, seed: evalSeed});
        const fmt = (c: typeof e.train) => { const a = accuracy(c); return `${meanAttributeAccuracy(c).toFixed(2)} (all ${a.all.toFixed(2)}; size ${a.size.toFixed(2)} colour ${a.colour.toFixed(2)} shape ${a.shape.toFixed(2)} position ${a.position.toFixed(2)})`; };
        console.log(`  ${space} step ${step} @ ${(cpu / 1000).toFixed(0)} CPU s, w=${w}: train ${fmt(e.train)} | held-out ${fmt(e.heldOut)} | diversity ${e.diversity.toFixed(3)} (data ${e.dataDiversity.toFixed(3)})`);
      }
    };
    if (process.argv.includes("--eval-only")) {
      if (!existsSync(path)) throw new Error(`--eval-only: no cached ${space} weights for these settings (${path})`);
      model.load(load(path).values, model.plan.steps);
      await report(model.plan.steps, NaN);
      continue;
    }
    await train(model, space, report, every);
    save(path, model.emaWeights());
    console.log(`${space} EMA weights: ${path}`);
  }
  p.dispose();
  classifier.dispose();
}

await main();
