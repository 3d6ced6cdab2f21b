// A chapter's trained denoiser: the model chooseModel picked (the reader's or the site's), loaded
// into a training worker only when the page first needs it, and its schedule.
import {fileNetwork} from "../model/weights.js";
import {SHIPPED_MODEL} from "../model/shipped-model.js";
import {sampleDataset} from "../math/datasets.js";
import {rngFromSeed} from "../math/random.js";
import {makeSchedule, type Schedule} from "../math/schedules.js";
import type {ModelChoice} from "../model/model-source.js";
import type {TrainerSetup} from "./training-protocol.js";
import type {TrainingSession} from "./training-session.js";
import type {BackendName} from "../model/backend-names.js";

/**
 * The TrainerSetup that rebuilds `choice`'s network in a worker: its architecture and schedule from
 * the weights file (fileNetwork), the default optimiser settings, the weights themselves, and data
 * (the worker wants some, and a later "train more" trains on it): the data set the file records, or
 * the shipped model's when it records none or a drawing.
 */
export function trainerSetupFor(choice: ModelChoice): TrainerSetup {
  const recorded = choice.file.dataset;
  const dataset = recorded && recorded !== "drawn" ? recorded : SHIPPED_MODEL.dataset;
  return {
    ...fileNetwork(choice.file),
    data: sampleDataset(dataset, SHIPPED_MODEL.n, rngFromSeed(SHIPPED_MODEL.dataSeed)),
    dataset,
    seed: SHIPPED_MODEL.seed,
    weights: choice.text,
  };
}

/** The schedule `choice`'s network was trained on (a reader's model may differ from the site's). */
export function scheduleFor(choice: ModelChoice): Schedule {
  return makeSchedule(choice.file.schedule.name, choice.file.schedule.T);
}

/** A session started on first `get()` and shared after; `dispose()` ends it, started or not. */
export interface LazySession {
  get(): Promise<TrainingSession>;
  dispose(): void;
}

/**
 * `start` is TrainingSession.start (injected so tests and pages without workers can pass their own).
 * A start that has not answered within `timeoutMs` rejects (a worker script that fails to load never
 * answers); if it answers later, that session is ended at once.
 */
export function lazySession(setup: TrainerSetup, start: (setup: TrainerSetup, backend?: BackendName) => Promise<TrainingSession>, {timeoutMs = 60_000} = {}): LazySession {
  let pending: Promise<TrainingSession> | null = null, disposed = false;
  const started = () => {
    let timer: ReturnType<typeof setTimeout> | undefined, late = false;
    const session = start(setup);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        late = true;
        reject(new Error(`the model's worker did not start within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
    });
    session.then((s) => (late ? s.dispose() : clearTimeout(timer)), () => clearTimeout(timer));
    return Promise.race([session, timeout]);
  };
  return {
    get() {
      if (disposed) return Promise.reject(new Error("the page's model has been released"));
      pending ??= started();
      return pending;
    },
    dispose() {
      // A session still starting is ended as soon as it exists.
      if (!disposed) pending?.then((s) => s.dispose(), () => {});
      disposed = true;
    },
  };
}
