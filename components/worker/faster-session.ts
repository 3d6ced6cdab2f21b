// The /faster page's handle on its worker: start, run the suite with events as callbacks, pause,
// resume, stop.
import type {BackendName} from "../model/backend-names.js";
import type {SuiteEvent, SuiteOptions} from "../model/faster-config.js";
import {WASM_PATHS} from "../model/wasm-paths.js";
import {Listeners, WorkerChannel, type Unnumbered} from "./channel.js";
import type {FasterCommand, FasterReport} from "./faster-protocol.js";

type Request = Unnumbered<FasterCommand>;

/** A suite event as the page receives it, with the worker's backend and tensor count at that moment. */
export interface FasterUpdate {
  event: SuiteEvent;
  backend: BackendName;
  numTensors: number;
}

export class FasterSession {
  private readonly listeners = new Listeners<FasterUpdate>();
  backend: BackendName = "cpu";

  private readonly channel = new WorkerChannel<FasterCommand, FasterReport>(import.meta.resolve("./faster-worker.js"), "faster-sampling", (data) => {
    this.backend = data.backend;
    this.listeners.emit(data);
  });

  private constructor() {}

  /** Starts a worker on `backend` (or the best available) with the teacher in `weights` (a weights file's text). */
  static async start(weights: string, backend?: BackendName): Promise<FasterSession> {
    const session = new FasterSession();
    // A worker whose script fails to load never answers: start() rejects instead of waiting forever.
    const {backend: chosen} = (await session.channel.start({type: "init", weights, wasmPaths: WASM_PATHS, backend})) as {backend: BackendName};
    session.backend = chosen;
    return session;
  }

  private request(command: Request): Promise<unknown> {
    return this.channel.request(command);
  }

  /** Calls `listener` with every suite event; returns an unsubscribe function. */
  onUpdate(listener: (update: FasterUpdate) => void): () => void {
    return this.listeners.add(listener);
  }

  /** Runs the suite; resolves true when it finished, false when stopped. */
  run(options: Partial<SuiteOptions>): Promise<boolean> { return this.request({type: "run", options}) as Promise<boolean>; }
  pause(): void { this.channel.post({type: "pause"}); }
  resume(): void { this.channel.post({type: "resume"}); }
  stop(): void { this.channel.post({type: "stop"}); }

  /** Ends the worker; pending requests reject. */
  dispose(): void {
    this.channel.dispose();
  }
}
