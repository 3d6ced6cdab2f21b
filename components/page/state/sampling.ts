// The Sampling chapter's URL table: sampler, step budget, DDIM's η, DDPM's variance, which denoiser
// and the seed of x_T. Its inputs are built by controlsFor.
import {choiceParam, numberParam} from "../url-state.js";
import {samplerByName} from "../../samplers/index.js";
import {CHAPTER_SAMPLERS, chapterSamplers, defaultSteps} from "../../samplers/sampling-plan.js";
import {makeSchedule} from "../../math/schedules.js";
import {DEFAULT_SCHEDULE} from "../../model/defaults.js";

/**
 * The table, given what depends on the reader's trained model: the steps slider reaches `stepsMax`
 * (the larger T of the exact and the trained schedule; a run clamps to its own), and the trained
 * network is named by `whose` it is ("yours" or "the site's"). Steps start at DDPM's customary count
 * on the exact denoiser's schedule.
 */
export function samplingTable({stepsMax, whose}: {stepsMax: number; whose: string}) {
  const exactSchedule = makeSchedule(DEFAULT_SCHEDULE.name, DEFAULT_SCHEDULE.T);
  return {
    sampler: choiceParam("ddpm", CHAPTER_SAMPLERS, {label: "Sampler", labels: Object.fromEntries(chapterSamplers().map((e) => [e.name, e.label]))}),
    steps: numberParam(defaultSteps(samplerByName("ddpm"), exactSchedule), {min: 1, max: stepsMax, step: 1}, {label: "Steps"}),
    eta: numberParam(0, {min: 0, max: 1, step: 0.05}, {label: "DDIM η"}),
    variance: choiceParam("betaTilde", ["betaTilde", "beta"], {label: "DDPM variance", kind: "radio", labels: {betaTilde: "β̃ₜ (posterior)", beta: "βₜ"}}),
    denoiser: choiceParam("exact", ["exact", "trained"], {label: "Denoiser", kind: "radio", labels: {exact: "exact (mixture)", trained: `trained network (${whose})`}}),
    seed: numberParam(1, {min: 0, max: 1e6, step: 1}, {label: "Seed", kind: "number"}),
  };
}
