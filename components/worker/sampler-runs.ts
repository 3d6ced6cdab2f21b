// Where a chapter's sampler runs: with the exact mixture, in JS on the page; with a trained network,
// entirely in its worker on the tfjs backend (TrainingSession.samplerSteps), the states coming back
// in a few chunks instead of one round trip per denoiser evaluation.
import type {Denoiser, Points} from "../math/types.js";
import type {Schedule} from "../math/schedules.js";
import type {SamplerEntry, SamplerSteps} from "../samplers/index.js";
import {runOptions, type RunSettings} from "../samplers/sampling-plan.js";
import type {TrainingSession} from "./training-session.js";

/** The denoiser a chapter samples with: `session` is set when it is a trained network in a worker. */
export interface ActiveDenoiser {
  denoiser: Denoiser;
  schedule: Schedule;
  session: TrainingSession | null;
}

/**
 * `entry`'s states from x_T ([n, 2]) with the chapter's run settings: on the worker's backend when
 * `active` is a trained network (DDPM's variance must then be "beta" or "betaTilde"), else
 * `entry.steps` in JS with runOptions(settings). Both draw the same noise for the same seed. With
 * `record` false the worker sends only the final state (what a quality sweep reads).
 */
export function samplerSteps(active: ActiveDenoiser, entry: SamplerEntry, xT: Points, settings: RunSettings, {record = true} = {}): SamplerSteps {
  if (!active.session) return entry.steps(active.denoiser, active.schedule, xT, runOptions(settings));
  const {variance} = settings;
  if (variance !== "beta" && variance !== "betaTilde") throw new Error("a run in the worker takes DDPM's variance by name (beta or betaTilde)");
  return active.session.samplerSteps({sampler: entry.name, xT, steps: settings.steps, eta: settings.eta, variance, seed: settings.seed, record});
}
