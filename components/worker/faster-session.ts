// The /faster page's handle on its worker: start, run the suite with events as callbacks, pause,
// resume, stop.
import type {BackendName} from "../model/backend-names.js";
import type {SuiteEvent, SuiteOptions} from "../model/faster-config.js";
import {WASM_PATHS} from "../model/wasm-paths.js";
import type {FasterCommand, FasterReport} from "./faster-protocol.js";

type Request = FasterCommand extends infer C ? (C extends {id: number} ? Omit<C, "id"> : never) : never;

/** A suite event as the page receives it, with the worker's backend and tensor count at that moment. */
export interface FasterUpdate {
  event: SuiteEvent;
  backend: BackendName;
  numTensors: number;
}

export class FasterSession {
  private nextId = 1;
  private waiting = new Map<number, {resolve(value: unknown): void; reject(error: Error): void}>();
  private listeners = new Set<(update: FasterUpdate) => void>();
  private closed = false;
  backend: BackendName = "cpu";

  private constructor(private worker: Worker) {
    worker.addEventListener("message", ({data}: MessageEvent<FasterReport>) => {
      if (data.type === "reply") {
        const pending = this.waiting.get(data.id);
        this.waiting.delete(data.id);
        if (data.ok) pending?.resolve(data.value);
        else pending?.reject(new Error(data.error));
      } else {
        this.backend = data.backend;
        for (const listener of this.listeners) listener(data);
      }
    });
  }

  /** Starts a worker on `backend` (or the best available) with the teacher in `weights` (a weights file's text). */
  static async start(weights: string, backend?: BackendName): Promise<FasterSession> {
    const worker = new Worker(import.meta.resolve("./faster-worker.js"), {type: "module"});
    const session = new FasterSession(worker);
    const failed = new Promise<never>((_, reject) => worker.addEventListener("error", (event) => {
      session.dispose();
      reject(new Error(`The worker could not start${event.message ? `: ${event.message}` : ""}.`));
    }, {once: true}));
    const {backend: chosen} = (await Promise.race([session.request({type: "init", weights, wasmPaths: WASM_PATHS, backend}), failed])) as {backend: BackendName};
    session.backend = chosen;
    return session;
  }

  private request(command: Request): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error("the session has ended"));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, {resolve, reject});
      this.worker.postMessage({...command, id});
    });
  }

  /** Calls `listener` with every suite event; returns an unsubscribe function. */
  onUpdate(listener: (update: FasterUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs the suite; resolves true when it finished, false when stopped. */
  run(options: Partial<SuiteOptions>): Promise<boolean> { return this.request({type: "run", options}) as Promise<boolean>; }
  pause(): void { if (!this.closed) this.worker.postMessage({type: "pause"}); }
  resume(): void { if (!this.closed) this.worker.postMessage({type: "resume"}); }
  stop(): void { if (!this.closed) this.worker.postMessage({type: "stop"}); }

  /** Ends the worker; pending requests reject. */
  dispose(): void {
    this.closed = true;
    this.worker.terminate();
    for (const {reject} of this.waiting.values()) reject(new Error("the session has ended"));
    this.waiting.clear();
  }
}
