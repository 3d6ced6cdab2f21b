// Messages between the latent-diffusion chapter and its worker (latent-worker.ts), which owns the
// autoencoder, both denoisers and the classifier. Requests with an `id` get exactly one reply.
import type {BackendName} from "../model/backend-names.js";
import type {Space, Stage} from "../model/latent/pipeline.js";

/** Sampling settings a page sends (the caption already tokenized on the page). */
export interface SampleRequest {
  space: Space;
  caption: Int32Array;
  n: number;
  steps: number;
  guidance: number;
  seed: number;
  trajectory: boolean;
  attention: boolean;
}

/** Page → worker. */
export type LatentCommand =
  | {type: "init"; id: number; weights: string; wasmPaths: Record<string, string>; backend?: BackendName}
  | ({type: "sample"; id: number} & SampleRequest)
  | {type: "evaluate"; id: number; space: Space; guidance: number; prompts: number; perPrompt: number}
  | {type: "reconstruct"; id: number; n: number; seed: number}
  | {type: "decode"; id: number; z: Float32Array}
  | {type: "train"; id: number; seed: number; includePixel: boolean}
  | {type: "run"} | {type: "pause"}
  | {type: "shipped"; id: number}
  | {type: "time"; id: number; steps: number}
  | {type: "backend"; id: number; backend: BackendName}
  | {type: "lose-context"; id: number};

/** A quick prompt-accuracy check made while training (mean over the four attributes). */
export interface AccuracyPoint {
  /** Denoiser steps and training wall time (evaluations excluded) when it was made. */
  step: number;
  trainMs: number;
  train: number;
  heldOut: number;
}

/** What the worker reports after every training chunk and on every change of state. */
export interface LatentProgress {
  /** "shipped": the site's trained models are in use; a stage: training from scratch; "done": trained here. */
  stage: Stage | "shipped" | "done";
  /** Steps of the current stage and its plan. */
  step: number;
  stageSteps: number;
  /** Mean loss of the last chunk, and each step's. */
  loss: number;
  losses: Float32Array;
  stepsPerSecond: number;
  /** Wall time spent in training chunks since the run began (evaluations excluded), ms. */
  trainMs: number;
  running: boolean;
  backend: BackendName;
  /** tf.memory().numTensors in the worker after the chunk. */
  numTensors: number;
  accuracy: AccuracyPoint[];
}

/** Worker → page. */
export type LatentReport =
  | {type: "reply"; id: number; ok: true; value?: unknown}
  | {type: "reply"; id: number; ok: false; error: string}
  | {type: "progress"; progress: LatentProgress}
  | {type: "notice"; level: "info" | "warning"; message: string};
