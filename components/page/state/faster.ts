// The Faster sampling chapter's URL table: which method's samples to show and at what NFE, the
// curve-straightening panel's τ, and the seed of a live run. Its inputs are built by controlsFor.
import {FASTER_METHODS, FIELD_TAUS, METHOD_INFO, NFE_LADDER} from "../../model/faster-config.js";
import {choiceParam, numberParam} from "../url-state.js";

const keys = FASTER_METHODS.map((m) => METHOD_INFO[m].key);
const nfes = NFE_LADDER.map(String);

export const fasterTable = {
  method: choiceParam("pd", keys, {label: "Method", labels: Object.fromEntries(FASTER_METHODS.map((m) => [METHOD_INFO[m].key, m]))}),
  nfe: choiceParam("4", nfes, {label: "Network evaluations (NFE)", kind: "radio"}),
  tau: numberParam(0.5, {min: FIELD_TAUS[0], max: FIELD_TAUS.at(-1)!, step: FIELD_TAUS[0]}, {label: "τ (1 = noise, 0 = data)"}),
  seed: numberParam(1, {min: 1, max: 1000, step: 1}, {label: "Seed of a live run", kind: "number"}),
};
