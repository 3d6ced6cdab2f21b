// Messages between the /faster page and its worker (faster-worker.ts). Free of tfjs: the page side
// imports it.
import type {BackendName} from "../model/backend-names.js";
import type {SuiteEvent, SuiteOptions} from "../model/faster-config.js";

/** Page → worker. Requests with an `id` get exactly one reply with the same id. */
export type FasterCommand =
  | {type: "init"; id: number; weights: string; wasmPaths: Record<string, string>; backend?: BackendName}
  /** Runs the suite on the teacher; replies when it has finished or was stopped. */
  | {type: "run"; id: number; options: Partial<SuiteOptions>}
  | {type: "pause"} | {type: "resume"} | {type: "stop"};

/** Worker → page. Every suite event comes with the worker's backend and tensor count (flat while training). */
export type FasterReport =
  | {type: "reply"; id: number; ok: true; value?: unknown}
  | {type: "reply"; id: number; ok: false; error: string}
  | {type: "event"; event: SuiteEvent; backend: BackendName; numTensors: number};
