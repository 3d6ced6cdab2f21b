// Trains the chapter's four networks from scratch with a recipe, as the build does for the shipped
// weights: the attribute classifier on clean images (every combination), the autoencoder, then the
// latent denoiser on the encoded training images and the pixel denoiser on the images themselves,
// and measures what the page quotes (reconstruction error, prompt accuracy with and without
// guidance on training and held-out combinations, diversity, and prompt accuracy against training
// steps for both denoisers: the pixel model is trained several times longer than the latent one, so
// the page can say how much training pixel space needs for the latent model's quality). Seeded:
// the same recipe gives the same weights on the same backend.
import {sampleImages} from "../../math/toy-images.js";
import {rngFromSeed} from "../../math/random.js";
import {accuracy, accuracyCounts, addAccuracy, meanAttributeAccuracy, type CurvePoint} from "../../math/image-metrics.js";
import {AttributeClassifier} from "./classifier.js";
import {LatentPipeline, type Space} from "./pipeline.js";
import type {LatentRecipe} from "./recipe.js";
import type {Trainable} from "./trainable.js";
import type {LatentWeights} from "./weights-file.js";

/** Guidance scale of the quality-against-training curve (the page's default); 40 prompts × 4 images per point. */
export const CURVE_GUIDANCE = 3;

/**
 * Steps between two points of the quality-against-training curve: half the latent denoiser's run,
 * so the pixel denoiser, trained longer, is measured at the latent's step count and at multiples of it.
 */
export function curveEvery(recipe: LatentRecipe): number {
  return recipe.latent.train.steps / 2;
}

/** Seeds of the classifier's training and test images (apart from the denoisers' data). */
const CLASSIFIER_DATA_SEED = 3, CLASSIFIER_TEST_SEED = 4;

async function trainFully(model: Trainable, chunk: number, log: (line: string) => void, name: string): Promise<number> {
  const start = performance.now();
  while (model.stepCount < model.plan.steps) {
    const r = await model.runChunk(Math.min(chunk, model.plan.steps - model.stepCount));
    if (r.diverged) throw new Error(`the ${name} diverged: ${r.diverged}`);
    if (model.stepCount % (chunk * 10) === 0) log(`${name} step ${model.stepCount}: loss ${r.loss.toFixed(4)}`);
  }
  return performance.now() - start;
}

/** Trains everything; `log` hears progress. Returns the weights with their measurements. */
export async function trainAll(recipe: LatentRecipe, log: (line: string) => void = () => {}): Promise<LatentWeights> {
  const c = recipe.classifier;
  const clsData = sampleImages(c.images, rngFromSeed(CLASSIFIER_DATA_SEED), {heldOut: "include"});
  const classifier = new AttributeClassifier({hidden: c.hidden, plan: c.train, seed: recipe.seed, data: clsData});
  const measured: Record<string, unknown> = {};
  let p: LatentPipeline | null = null;
  try {
    await trainFully(classifier, 50, log, "classifier");
    const test = sampleImages(500, rngFromSeed(CLASSIFIER_TEST_SEED), {heldOut: "include"});
    const read = await classifier.classify(test.pixels);
    const counts = accuracyCounts();
    test.attributes.forEach((a, i) => addAccuracy(counts, a, [read[i]]));
    measured.classifierAccuracy = accuracy(counts);
    log(`classifier accuracy on clean images: ${JSON.stringify(measured.classifierAccuracy)}`);

    p = LatentPipeline.untrained(recipe, classifier.emaWeights(), recipe.seed);
    p.includePixel = true;
    const ms: Record<string, number> = {};
    const curve: Record<Space, CurvePoint[]> = {latent: [], pixel: []};
    const every = curveEvery(recipe);
    for (const stage of ["autoencoder", "latent", "pixel"] as const) {
      ms[stage] = 0;
      while (p.stage === stage) {
        const start = performance.now();
        const {result} = await p.trainChunk(50);
        ms[stage] += performance.now() - start;
        if (result.diverged) throw new Error(`the ${stage} model diverged: ${result.diverged}`);
        if (result.step % 500 === 0) log(`${stage} step ${result.step}: loss ${result.loss.toFixed(4)}`);
        if (stage !== "autoencoder" && result.step % every === 0) {
          const e = await p.evaluate(stage, CURVE_GUIDANCE, {prompts: 40, perPrompt: 4});
          curve[stage].push({steps: result.step, train: meanAttributeAccuracy(e.train), heldOut: meanAttributeAccuracy(e.heldOut), shape: accuracy(e.train).shape});
          log(`${stage} step ${result.step}, w=${CURVE_GUIDANCE}: train ${curve[stage].at(-1)!.train.toFixed(3)}, held-out ${curve[stage].at(-1)!.heldOut.toFixed(3)}`);
        }
      }
    }
    measured.trainingSeconds = Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, Math.round(v / 100) / 10]));
    measured.curve = curve;
    measured.reconstructionMse = (await p.reconstruct(256, 11)).mse;
    log(`autoencoder reconstruction MSE on [0, 1]: ${(measured.reconstructionMse as number).toFixed(5)}`);
    const quality: Record<string, unknown> = {};
    for (const space of ["latent", "pixel"] as Space[]) {
      for (const w of [0, 3]) {
        const e = await p.evaluate(space, w, {prompts: 40, perPrompt: 4});
        quality[`${space} w=${w}`] = {
          train: {...accuracy(e.train), mean: meanAttributeAccuracy(e.train)},
          heldOut: {...accuracy(e.heldOut), mean: meanAttributeAccuracy(e.heldOut)},
          diversity: e.diversity, dataDiversity: e.dataDiversity,
        };
        log(`${space} w=${w}: train ${meanAttributeAccuracy(e.train).toFixed(3)}, held-out ${meanAttributeAccuracy(e.heldOut).toFixed(3)}, diversity ${e.diversity.toFixed(3)} (data ${e.dataDiversity.toFixed(3)})`);
      }
    }
    measured.quality = quality;
    const weights = p.weights();
    return {...weights, steps: {...weights.steps, classifier: classifier.stepCount}, measured};
  } finally {
    classifier.dispose();
    p?.dispose();
  }
}
