// The Training chapter's URL table (data, schedule, network, loss weighting, optimiser, backend) and
// how its values become a worker's TrainerSetup. Other chapters link here with formatState(trainingTable, …).
import {choiceParam, numberParam, type Values} from "../url-state.js";
import {DATASETS} from "../../math/datasets.js";
import {SCHEDULES} from "../../math/schedules.js";
import {DEFAULT_CONFIG, DEFAULT_SCHEDULE} from "../../model/defaults.js";
import {SHIPPED_MODEL} from "../../model/shipped-model.js";
import type {TrainerSetup} from "../../worker/training-protocol.js";

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
  backend: choiceParam("auto", ["auto", "webgpu", "webgl", "wasm", "cpu"], {label: "Backend"}),
};

export type TrainingState = Values<typeof trainingTable>;

/** The optimiser settings a running model takes without new weights (TrainingSession.setConfig). */
export function optimiserPatch(v: Pick<TrainingState, "lr" | "batch" | "weighting" | "gamma">) {
  return {lr: 10 ** v.lr, batchSize: Number(v.batch), weighting: v.weighting as "none" | "min-snr", snrGamma: v.gamma};
}

/** A worker's TrainerSetup from the page's settings and its data ([n, 2]). */
export function trainerSetup(v: TrainingState, data: Float64Array): TrainerSetup {
  return {
    data, d: 2, schedule: {name: v.schedule, T: v.T}, seed: v.seed,
    config: {
      ...DEFAULT_CONFIG, ...optimiserPatch(v),
      model: {...model, width: Number(v.width), depth: v.depth, activation: v.activation as typeof model.activation, prediction: v.prediction},
    },
  };
}

/** What fixes the network's shape and starting point: two states with different keys need different weights. */
export function architectureKey(v: TrainingState): string {
  return JSON.stringify([v.schedule, v.T, v.width, v.depth, v.activation, v.prediction, v.seed]);
}
