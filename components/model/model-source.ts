// Which trained model a chapter uses: the one the reader kept on /training (browser storage) when
// there is a readable one, else the site's shipped model.
import {loadWeightsFromStorage, parseWeightsFile, type WeightsFile} from "./weights.js";
import {SHIPPED_MODEL} from "./shipped-model.js";

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

