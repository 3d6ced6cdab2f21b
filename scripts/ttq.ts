// Time-to-quality: how long training takes until samples sit on the data.
//
//   npx tsx scripts/ttq.ts [--data ring] [--configs default,recipe,naive,<key=value+...>] [--seeds 1,2,3]
//                          [--max-steps 2000] [--eval-every 25] [--backend cpu|wasm] [--json out.json]
//
// "recipe" is the data set's recipe (components/model/recipes.ts recipeFor); an ad-hoc configuration
// starting with "recipe+" changes that recipe, any other changes DEFAULT_CONFIG.
// For each configuration and seed: train in chunks of --eval-every steps; after each chunk draw 5 × 2,000
// samples from the EMA weights with DDPM ancestral sampling (50 steps, or T if fewer; runOnDevice
// of its program, which keeps x_t on the backend) and score them
// with the time-to-quality yardstick (math/metrics.ts qualityYardstick): "quality" is reached when
// their sliced Wasserstein distance to 2,000 held-out data points, averaged over the 5 draws, is within
// 1.5× the SW between two independent 2,000-point draws of the data (averaged over 5 pairs). Reported:
// the steps and the training wall time (sampling excluded) at that point.
//
// --backend wasm runs the browser's wasm binary (SIMD, one thread) in Node by giving the bundle's
// emscripten loader the browser globals it looks for; its step times were measured close to the same
// binary's in headless Chromium. It is a measuring device only: the site never does this.
import {writeFileSync} from "node:fs";
import {prepareNodeWasm} from "./node-wasm.js";
import type {TrainerOptions} from "../components/model/trainer.js";
import type {TrainerConfig} from "../components/model/trainer-config.js";
import {checkScheduleSpec, type ScheduleSpec} from "../components/math/schedules.js";
import {isDatasetName} from "../components/math/datasets.js";

type Preset = {about: string; schedule: ScheduleSpec & {betaScale?: number}; config: TrainerOptions["config"]};

/** Configurations compared; "default" is DEFAULT_CONFIG with DEFAULT_SCHEDULE. */
const PRESETS: Record<string, Preset> = {
  naive: {
    about: "lr 1e-3 constant, batch 512, T=1000 linear, 3×128 ReLU, ε-pred, EMA 0.999 (a naive first setup: ~2,500 steps to quality, or none within 8,000)",
    schedule: {name: "linear", T: 1000},
    config: {lr: 1e-3, warmupSteps: 0, decaySteps: 0, batchSize: 512, emaDecay: 0.999, emaWarmup: "none",
      model: {width: 128, depth: 3, activation: "relu", prediction: "eps", embedDim: 32, timeInput: "input", embedScale: 1}},
  },
  default: {about: "DEFAULT_CONFIG", schedule: {name: "cosine", T: 100}, config: {}},
};

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

async function main() {
  const backendName = arg("backend", "cpu");
  const wasmDir = backendName === "wasm" ? prepareNodeWasm() : "";
  const tf = await import("../components/vendor/tfjs.js");
  const {Trainer} = await import("../components/model/trainer.js");
  const {DEFAULT_CONFIG, DEFAULT_SCHEDULE} = await import("../components/model/defaults.js");
  const {RECIPE_OVERRIDES, recipeFor} = await import("../components/model/recipes.js");
  const {makeSchedule, linearBetas, scheduleFromBetas} = await import("../components/math/schedules.js");
  const {sampleDataset} = await import("../components/math/datasets.js");
  const {rngFromSeed} = await import("../components/math/random.js");
  const {qualityYardstick, YARDSTICK} = await import("../components/math/metrics.js");
  const {samplerByName} = await import("../components/samplers/index.js");
  const {sampleEma} = await import("../components/model/device-sampler.js");
  const {qualityScore, SCORE_DRAWS} = await import("../components/math/quality-score.js");
  if (backendName === "wasm") {
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    tf.setWasmPaths(wasmDir);
  }
  if (!(await tf.setBackend(backendName))) throw new Error(`backend ${backendName} did not initialise`);

  // "ring" (8 Gaussians) is the site's default data set: the exact mixture in mixture.ts matches it.
  const data = arg("data", "ring");
  if (!isDatasetName(data)) throw new Error(`unknown data set ${data}`);
  const names = arg("configs", "default").split(",");
  const seeds = arg("seeds", "1").split(",").map(Number);
  const maxSteps = Number(arg("max-steps", "2000"));
  const evalEvery = Number(arg("eval-every", "25"));
  const n = YARDSTICK.n;
  const yardstick = qualityYardstick((count, rng) => sampleDataset(data, count, rng)), {reference, threshold} = yardstick;
  console.log(`data ${data}, backend ${tf.getBackend()}: SW between two draws of ${n} = ${reference.toFixed(4)}; quality threshold ${threshold.toFixed(4)}`);

  const results: unknown[] = [];
  for (const name of names) {
    const recipe = recipeFor(data), overrides = RECIPE_OVERRIDES[data];
    const preset: Preset = name === "default" ? {...PRESETS.default, schedule: {...DEFAULT_SCHEDULE}}
      : name === "recipe" ? {about: `recipe for ${data}`, schedule: recipe.schedule, config: overrides}
      : PRESETS[name] ?? parsePreset(name, name.startsWith("recipe+") ? {schedule: recipe.schedule, config: overrides} : undefined);
    const {schedule: s} = preset;
    const schedule = s.betaScale
      ? scheduleFromBetas(linearBetas(s.T, 1e-4 * s.betaScale, 0.02 * s.betaScale), "linear")
      : makeSchedule(s.name, s.T);
    const full: TrainerConfig = {...DEFAULT_CONFIG, ...preset.config, model: {...DEFAULT_CONFIG.model, ...preset.config?.model}};
    for (const seed of seeds) {
      const trainer = new Trainer({data: sampleDataset(data, 20000, rngFromSeed(seed)), schedule, config: preset.config, seed});
      let trainMs = 0, bestMsPerStep = Infinity, hit: {steps: number; seconds: number; sw: number} | null = null, last = NaN;
      const curve: [number, number][] = [];
      while (trainer.stepCount < maxSteps) {
        const r = await trainer.runChunk(evalEvery);
        trainMs += r.ms;
        bestMsPerStep = Math.min(bestMsPerStep, r.ms / r.steps);
        if (r.diverged) { console.log(`  ${name} seed ${seed}: diverged: ${r.diverged}`); break; }
        const program = samplerByName("ddpm").program(schedule, {steps: Math.min(50, schedule.T)});
        const {x} = await sampleEma(trainer, program, {n: n * SCORE_DRAWS}, rngFromSeed(seed + 99));
        last = qualityScore(yardstick, x);
        curve.push([trainer.stepCount, +last.toFixed(4)]);
        if (last <= threshold) { hit = {steps: trainer.stepCount, seconds: trainMs / 1000, sw: last}; break; }
      }
      const msPerStep = trainMs / trainer.stepCount;
      trainer.dispose();
      // The fastest chunk is the best estimate of the step time on an idle machine.
      console.log(`${name.padEnd(28)} seed ${seed}: ${hit ? `quality at ${hit.steps} steps, ${hit.seconds.toFixed(1)} s` : `not reached in ${maxSteps} steps (SW ${last.toFixed(4)})`}; ${msPerStep.toFixed(1)} ms/step mean, ${bestMsPerStep.toFixed(1)} fastest chunk`);
      if (process.argv.includes("--curve")) console.log(`  SW by step: ${curve.map(([k, v]) => `${k}:${v}`).join(" ")}`);
      results.push({name, seed, about: preset.about, schedule: s, config: full, hit, msPerStep, bestMsPerStep, curve});
    }
  }
  const out = arg("json", "");
  if (out) writeFileSync(out, JSON.stringify({data, backend: tf.getBackend(), reference, threshold, results}, null, 1));
}

/**
 * Ad-hoc configurations from the command line, as key=value pairs joined by "+", e.g.
 * "T=200+lr=0.01+width=64+prediction=v+schedule=cosine+batch=256+ema=0.99", over DEFAULT_CONFIG or
 * (from "recipe+…", given as `base`) over the data set's recipe.
 */
function parsePreset(spec: string, base?: Pick<Preset, "schedule" | "config">): Preset {
  const schedule: Preset["schedule"] = {name: "cosine", T: 100, ...base?.schedule};
  const config: NonNullable<TrainerOptions["config"]> = {...base?.config};
  const model: Record<string, unknown> = {...base?.config?.model};
  for (const part of spec.split("+")) {
    if (part === "recipe" && base) continue;
    const [k, v] = part.split("=");
    const num = Number(v);
    switch (k) {
      case "schedule": schedule.name = checkScheduleSpec({name: v, T: schedule.T}).name; break;
      case "T": schedule.T = checkScheduleSpec({name: schedule.name, T: num}).T; break;
      case "betaScale": schedule.betaScale = num; schedule.name = "linear"; break;
      case "lr": config.lr = num; break;
      case "warmup": config.warmupSteps = num; break;
      case "decay": config.decaySteps = num; break;
      case "minlr": config.minLrFraction = num; break;
      case "batch": config.batchSize = num; break;
      case "ema": config.emaDecay = num; break;
      case "emaWarmup": config.emaWarmup = v as TrainerConfig["emaWarmup"]; break;
      case "weighting": config.weighting = v as TrainerConfig["weighting"]; break;
      case "gamma": config.snrGamma = num; break;
      case "beta2": config.beta2 = num; break;
      case "width": case "depth": case "embedDim": case "embedScale": case "fourierFeatures": case "fourierScale": model[k] = num; break;
      case "activation": case "prediction": case "timeInput": model[k] = v; break;
      default: throw new Error(`unknown key ${k} in ${spec}`);
    }
  }
  config.model = model as NonNullable<TrainerOptions["config"]>["model"];
  return {about: spec, schedule, config};
}

await main();
