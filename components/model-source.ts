// Which trained model a chapter uses: the one the reader kept on /training (browser storage) when
// there is a readable one, else the site's shipped model.
import {loadWeightsFromStorage, parseWeightsFile, type WeightsFile} from "./weights.js";
import {SHIPPED_MODEL} from "./shipped-model.js";
import {DEFAULT_CONFIG} from "./trainer.js";
import type {ScheduleName} from "./schedules.js";
import type {TrainerSetup} from "./training-protocol.js";

export interface ModelChoice {
  text: string;
  file: WeightsFile;
  source: "yours" | "shipped";
  /** Why the reader's stored model was not used, when there was one. */
  note: string | null;
}

/** The reader's stored model if it parses, else `shippedText` (the data loader's output). */
export function chooseModel(shippedText: string): ModelChoice {
  const stored = loadWeightsFromStorage(SHIPPED_MODEL.storageKey);
  if (stored) {
    try {
      return {text: stored, file: parseWeightsFile(stored), source: "yours", note: null};
    } catch (e) {
      return {text: shippedText, file: parseWeightsFile(shippedText), source: "shipped", note: `Your saved model could not be read (${(e as Error).message}); using the site's model.`};
    }
  }
  return {text: shippedText, file: parseWeightsFile(shippedText), source: "shipped", note: null};
}

/**
 * What a TrainingSession needs to host a saved model for inference (and further training): the
 * file's own architecture and schedule, the shipped data set, and the file's text as its weights.
 */
export function sessionSetup(choice: ModelChoice, data: Float64Array): TrainerSetup {
  const {config, schedule} = choice.file;
  const {width, depth, activation, prediction, embedDim, timeInput} = config;
  return {
    data, d: config.d, seed: SHIPPED_MODEL.seed, weights: choice.text,
    schedule: {name: schedule.name as ScheduleName, T: schedule.T},
    config: {...DEFAULT_CONFIG, model: {...DEFAULT_CONFIG.model, width, depth, activation, prediction, embedDim, timeInput}},
  };
}
