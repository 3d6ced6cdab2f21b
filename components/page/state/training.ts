// The Training chapter's URL table (data, schedule, network, loss weighting, optimiser, backend) and
// how its values become a worker's TrainerSetup. Each data set trains with its own recipe
// (model/recipes.ts), so the table's defaults depend on the data set: trainingTableFor gives them, and
// a URL lists only what differs from the recipe of the data set it names. Other chapters link here
// with formatState(trainingTableFor(data), …).
import {choiceParam, numberParam, readDependentState, type ReadResult, type Values} from "../url-state.js";
import {DATASETS} from "../../math/datasets.js";
import {SCHEDULES} from "../../math/schedules.js";
import {DEFAULT_CONFIG, DEFAULT_SCHEDULE} from "../../model/defaults.js";
import {describeRecipe, recipeFor} from "../../model/recipes.js";
import {SHIPPED_MODEL} from "../../model/shipped-model.js";
import type {TrainerSetup} from "../../worker/training-protocol.js";
import {labelledByName, sampleLabelled} from "../../math/labelled.js";
import {rngFromSeed} from "../../math/random.js";
import {SHIPPED_CONDITIONAL_MODEL} from "../../model/shipped-conditional-model.js";

const model = DEFAULT_CONFIG.model;

export const trainingTable = {
  data: choiceParam(SHIPPED_MODEL.dataset as string, [...DATASETS.map((d) => d.name), "draw"],
    {label: "Data set", labels: {...Object.fromEntries(DATASETS.map((d) => [d.name, d.label])), draw: "Draw your own…"}}),
  schedule: choiceParam(DEFAULT_SCHEDULE.name, SCHEDULES.map((s) => s.name), {label: "Schedule", labels: Object.fromEntries(SCHEDULES.map((s) => [s.name, s.label]))}),
  T: numberParam(DEFAULT_SCHEDULE.T, {min: 2, max: 4000, step: 1}, {label: "Timesteps T", kind: "number"}),
  width: choiceParam(String(model.width), ["32", "64", "128", "256"], {label: "Width"}),
  depth: numberParam(model.depth, {min: 1, max: 6, step: 1}, {label: "Hidden layers"}),
  activation: choiceParam(model.activation, ["relu", "silu", "gelu", "tanh"], {label: "Activation"}),
  prediction: choiceParam(model.prediction, ["eps", "x0", "v"], {label: "Predicts", labels: {eps: "noise ε", x0: "clean x₀", v: "velocity v"}}),
  weighting: choiceParam(DEFAULT_CONFIG.weighting, ["none", "min-snr"], {label: "Loss weighting", labels: {none: "none (plain MSE)", "min-snr": "Min-SNR-γ"}}),
  gamma: numberParam(DEFAULT_CONFIG.snrGamma, {min: 1, max: 20, step: 1}, {label: "Min-SNR γ"}),
  // The learning rate spans decades, so the URL and the slider hold its base-10 logarithm.
  lr: numberParam(Math.log10(DEFAULT_CONFIG.lr), {min: -5, max: 1, step: 0.1}, {label: "log₁₀ learning rate"}),
  batch: choiceParam(String(DEFAULT_CONFIG.batchSize), ["64", "128", "256", "512", "1024", "2048", "4096"], {label: "Batch size"}),
  seed: numberParam(1, {min: 0, max: 1e6, step: 1}, {label: "Seed", kind: "number"}),
  conditioning: choiceParam("none", ["none", "class"], {label: "Conditioning", labels: {none: "none (unconditional)", class: "a class per mode (8 Gaussians): ε(x_t, t, c)"}}),
  backend: choiceParam("auto", ["auto", "webgpu", "webgl", "wasm", "cpu"], {label: "Backend"}),
};

export type TrainingState = Values<typeof trainingTable>;

/** The settings of the table that a data set's recipe gives (the rest are the reader's alone). */
export const RECIPE_KEYS = ["schedule", "T", "width", "depth", "activation", "prediction", "weighting", "gamma", "lr", "batch"] as const;
type RecipeKey = (typeof RECIPE_KEYS)[number];

/** `data`'s recipe (recipeFor; a drawing gets the defaults) as the table's values: log₁₀ lr, menus as strings. */
export function recipeValues(data: string): Pick<TrainingState, RecipeKey> {
  const {config: c, schedule} = recipeFor(data);
  return {
    schedule: schedule.name, T: schedule.T, width: String(c.model.width), depth: c.model.depth,
    activation: c.model.activation as TrainingState["activation"], prediction: c.model.prediction,
    weighting: c.weighting, gamma: c.snrGamma, lr: Math.log10(c.lr), batch: String(c.batchSize),
  };
}

/** trainingTable with the defaults of `data`'s recipe, so a URL holds only what the reader changed. */
export function trainingTableFor(data: string): typeof trainingTable {
  const r = recipeValues(data), table: Record<string, unknown> = {...trainingTable};
  for (const key of RECIPE_KEYS) table[key] = {...trainingTable[key], default: r[key]};
  return table as typeof trainingTable;
}

/** The page's values from a query string: a setting the query leaves out takes the recipe of the data set it names. */
export function readTrainingState(search: string): ReadResult<typeof trainingTable> {
  return readDependentState(trainingTable, (v) => trainingTableFor(v.data), search);
}

/** The one line the page shows about the recipe `data` trains with. */
export function recipeLine(data: string): string {
  if (data === "draw") return "A drawing trains with the default recipe (the one measured on the 8 Gaussians).";
  const label = DATASETS.find((d) => d.name === data)?.label ?? data, changes = describeRecipe(data);
  return changes ? `Recipe for ${label}: ${changes}; the defaults otherwise.` : `Recipe for ${label}: the defaults.`;
}

type InputLike = EventTarget & {value: unknown};

/**
 * When the reader picks a data set, the inputs of RECIPE_KEYS take that set's recipe (each dispatching
 * "input", so the page and the URL follow). On back/forward syncInputs sets the data set first and
 * the other inputs after, so the URL's values win over the recipe. Returns a function that detaches.
 */
export function followRecipe(controls: Partial<Record<keyof typeof trainingTable, InputLike>>): () => void {
  const data = controls.data;
  if (!data) return () => {};
  const onInput = () => {
    const r = recipeValues(String(data.value));
    for (const key of RECIPE_KEYS) {
      const input = controls[key];
      if (!input || trainingTable[key].format(input.value as never) === trainingTable[key].format(r[key] as never)) continue;
      input.value = r[key];
      input.dispatchEvent(new Event("input", {bubbles: true}));
    }
  };
  data.addEventListener("input", onInput);
  return () => data.removeEventListener("input", onInput);
}

/** The optimiser settings a running model takes without new weights (TrainingSession.setConfig). */
export function optimiserPatch(v: Pick<TrainingState, "lr" | "batch" | "weighting" | "gamma">) {
  return {lr: 10 ** v.lr, batchSize: Number(v.batch), weighting: v.weighting as "none" | "min-snr", snrGamma: v.gamma};
}

/** Whether the settings train a class-conditional model: asked for, on the data set that has classes (the 8 Gaussians). */
export function isConditional(v: Pick<TrainingState, "conditioning" | "data">): boolean {
  return v.conditioning === "class" && v.data === SHIPPED_MODEL.dataset;
}

/**
 * The labelled training data of a conditional model: 4,000 draws of the 8 Gaussians with the class of
 * each (its mode), from the same seed as the unconditional page's data. points [n, 2], labels [n].
 */
export function conditionalData(): {points: Float64Array; labels: Int32Array} {
  return sampleLabelled(labelledByName(SHIPPED_CONDITIONAL_MODEL.labelled), 4000, rngFromSeed(1));
}

/**
 * A worker's TrainerSetup from the page's settings and its data ([n, 2]); with `labels` ([n]) and
 * conditioning asked for, a conditional model (8 classes, label dropout p_uncond).
 */
export function trainerSetup(v: TrainingState, data: Float64Array, labels?: Int32Array): TrainerSetup {
  const classes = labels && isConditional(v) ? {classes: 8, labels, pUncond: SHIPPED_CONDITIONAL_MODEL.pUncond} : {};
  const recipe = recipeFor(v.data).config;
  return {
    ...classes,
    data, d: 2, schedule: {name: v.schedule, T: v.T}, seed: v.seed,
    config: {
      ...recipe, ...optimiserPatch(v),
      model: {...recipe.model, width: Number(v.width), depth: v.depth, activation: v.activation as typeof model.activation, prediction: v.prediction},
    },
  };
}

/**
 * What fixes the network's shape and starting point: two states with different keys need a new model.
 * The data set is part of it, so picking another set starts a fresh model on that set's recipe (whose
 * measured time to quality is from scratch); a drawing that changes keeps the model.
 */
export function architectureKey(v: TrainingState): string {
  return JSON.stringify([v.data, v.schedule, v.T, v.width, v.depth, v.activation, v.prediction, v.seed, isConditional(v)]);
}
