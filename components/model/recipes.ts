// The training recipe of each built-in data set: DEFAULT_CONFIG (measured on "ring") with the
// overrides each other set was measured to need, so a reader who only picks a data set trains a good
// model in seconds. Free of tfjs, so pages can read it; kept apart from defaults.ts so that a new
// recipe does not change the shipped models' cache keys (components/model/shipped-model-key.ts).
import type {DatasetName} from "../math/datasets.js";
import type {ScheduleSpec} from "../math/schedules.js";
import type {ModelConfig} from "./denoiser-config.js";
import type {TrainerConfig} from "./trainer-config.js";
import {DEFAULT_CONFIG, DEFAULT_SCHEDULE} from "./defaults.js";

/** What a recipe changes: optimiser fields whole, network fields in part. */
export type RecipeOverrides = Partial<Omit<TrainerConfig, "model">> & {model?: Partial<ModelConfig>};

/** A full training recipe: the trainer's settings and the schedule to build with makeSchedule(name, T). */
export interface Recipe {
  config: TrainerConfig;
  schedule: ScheduleSpec;
}

/**
 * Overrides of DEFAULT_CONFIG per data set ("ring" has none: DEFAULT_CONFIG was measured on it).
 * Measured with `npx tsx scripts/ttq.ts --backend wasm --data <set> --seeds 1,2,3,4,5 --configs …`
 * (time to quality: steps until 2,000 DDPM-50 samples of the EMA weights are within 1.5× the
 * data-vs-data SW₂ of held-out data; see defaults.ts).
 */
export const RECIPE_OVERRIDES: Readonly<Record<DatasetName, RecipeOverrides>> = {
  ring: {},
  moons: {},
  circles: {},
  letters: {},
  spiral: {batchSize: 512, decaySteps: 300},
  "swiss-roll": {batchSize: 512, decaySteps: 300},
  checkerboard: {batchSize: 512, decaySteps: 300},
};

/** How each field a recipe may change reads in a sentence, with its value. */
const FIELD_WORDS: Record<string, (v: number | string) => string> = {
  lr: (v) => `lr ${formatNumber(Number(v))}`, batchSize: (v) => `batch ${v}`, warmupSteps: (v) => `${v} warm-up steps`,
  decaySteps: (v) => `lr decay over ${v} steps`, minLrFraction: (v) => `lr floor ${v}×`, emaDecay: (v) => `EMA ${v}`,
  width: (v) => `width ${v}`, depth: (v) => `${v} hidden layers`, activation: (v) => `${v}`, prediction: (v) => `predicts ${v}`,
  embedDim: (v) => `time embedding ${v}`, fourierFeatures: (v) => `${v} Fourier features`, fourierScale: (v) => `Fourier scale ${v}`,
};

/** 0.005 → "5·10⁻³"; numbers of 0.1 and above as they are. */
function formatNumber(v: number): string {
  if (v >= 0.1 || v === 0) return String(v);
  const e = Math.floor(Math.log10(v) + 1e-9), m = +(v / 10 ** e).toPrecision(3);
  const sup = String(e).replace(/-/g, "⁻").replace(/\d/g, (d) => "⁰¹²³⁴⁵⁶⁷⁸⁹"[Number(d)]);
  return m === 1 ? `10${sup}` : `${m}·10${sup}`;
}

/**
 * One line saying what `dataset`'s recipe changes from the defaults, e.g. "Fourier scale 0.5, lr
 * 5·10⁻³"; "" when it changes nothing (the defaults are "ring"'s, and a drawing gets them too).
 */
export function describeRecipe(dataset: DatasetName | string): string {
  const o: RecipeOverrides = RECIPE_OVERRIDES[dataset as DatasetName] ?? {};
  const {model = {}, ...rest} = o;
  return [...Object.entries(model), ...Object.entries(rest)]
    .map(([k, v]) => FIELD_WORDS[k]?.(v as number | string) ?? `${k} ${String(v)}`).join(", ");
}

/** The recipe of a built-in data set; anything else (a drawing) gets DEFAULT_CONFIG on DEFAULT_SCHEDULE. */
export function recipeFor(dataset: DatasetName | string): Recipe {
  const o: RecipeOverrides = RECIPE_OVERRIDES[dataset as DatasetName] ?? {};
  return {config: {...DEFAULT_CONFIG, ...o, model: {...DEFAULT_CONFIG.model, ...o.model}}, schedule: {...DEFAULT_SCHEDULE}};
}
