// Messages between a page and its training worker (training-worker.ts). Free of tfjs: the page side
// imports it.
import type {BackendName} from "../model/backend-names.js";
import type {TrainerConfig} from "../model/trainer-config.js";
import type {TrainingData} from "../model/weights.js";
import type {ScheduleSpec} from "../math/schedules.js";
import type {SamplerName, SamplerState} from "../samplers/index.js";

/** Everything a worker needs to build a Trainer. */
export interface TrainerSetup {
  /** Training points [n, d], interleaved. */
  data: Float64Array;
  /** What `data` is, recorded in the weights files the worker saves (omit when unknown). */
  dataset?: TrainingData;
  d: number;
  schedule: ScheduleSpec;
  config: Partial<TrainerConfig>;
  seed: number;
  /** A weights file's text to start from (e.g. the site's shipped model); refused ones are reported. */
  weights?: string;
  /** For a class-conditional model (ConditionalTrainer): the number of classes C (absent or 0: unconditional). */
  classes?: number;
  /** The class of each training point, [n] (required when `classes` is given). */
  labels?: Int32Array;
  /** Label dropout probability p_uncond (default DEFAULT_P_UNCOND). */
  pUncond?: number;
}

/** Classifier-free guidance asked of a conditional model's samples: class c, weight w, and the class steered away from (null: unconditional). */
export interface GuideRequest {
  c: number | null;
  w: number;
  negative?: number | null;
}

/**
 * A sampler run in the worker on its backend, every state recorded (TrainingSession.samplerSteps):
 * the Sampling chapter's run settings (sampling-plan's RunSettings, whose options runOptions makes),
 * from the given x_T ([n, d]).
 */
export interface RecordRequest {
  sampler: SamplerName;
  xT: Float64Array;
  steps: number;
  /** DDIM's η (the others ignore it). */
  eta: number;
  /** DDPM's reverse variance (the others ignore it). */
  variance: "beta" | "betaTilde";
  /** Noise along the way comes from rngFromSeed(seed + 1), as runOptions draws it. */
  seed: number;
  /** Which weights; default "ema". */
  which?: "ema" | "raw";
  /** Send every state (default) or only the final one (x̂0 null). */
  record?: boolean;
}

/** Page → worker. Requests with an `id` get exactly one reply with the same id. */
export type Command =
  | {type: "init"; id: number; setup: TrainerSetup; wasmPaths: Record<string, string>; backend?: BackendName}
  | {type: "run"} | {type: "pause"}
  | {type: "step"; id: number}
  | {type: "reset"; id: number; seed: number}
  | {type: "rebuild"; id: number; setup: TrainerSetup}
  | {type: "data"; id: number; data: Float64Array; dataset?: TrainingData; labels?: Int32Array}
  | {type: "config"; id: number; patch: Partial<TrainerConfig>}
  | {type: "backend"; id: number; backend: BackendName}
  | {type: "sample"; id: number; n: number; steps: number; seed: number; guide?: GuideRequest}
  | {type: "class-samples"; id: number; per: number; steps: number; seed: number}
  | {type: "record"; id: number; run: number; request: RecordRequest}
  | {type: "record-stop"; run: number}
  | {type: "eps"; id: number; xt: Float64Array; t: number; which: "ema" | "raw"; c?: number | null}
  | {type: "classifier-new"; id: number; points: Float64Array; labels: Int32Array; classes: number; seed: number}
  | {type: "classifier-train"; id: number; steps: number}
  | {type: "classifier-grad"; id: number; xt: Float64Array; t: number; c: number}
  | {type: "lose-context"; id: number}
  | {type: "memory"; id: number}
  | {type: "save"; id: number}
  | {type: "load"; id: number; text: string};

/** A training progress report, sent once per chunk (at most ~20 a second). */
export interface Progress {
  step: number;
  /** Mean loss of the last chunk, and each step's loss in it. */
  loss: number;
  losses: Float32Array;
  bucketLoss: Float64Array;
  lr: number;
  /** Training steps per second over the last chunk. */
  stepsPerSecond: number;
  running: boolean;
  backend: BackendName;
  /** tf.memory().numTensors in the worker after the chunk (flat while training). */
  numTensors: number;
}

/** Worker → page. */
export type Report =
  | {type: "reply"; id: number; ok: true; value?: unknown}
  | {type: "reply"; id: number; ok: false; error: string}
  | {type: "progress"; progress: Progress}
  /** A chunk of a "record" request's states, in order; the request's reply follows the last chunk. */
  | {type: "states"; run: number; states: SamplerState[]}
  | {type: "notice"; level: "info" | "warning"; message: string};
