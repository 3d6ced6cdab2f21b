// The page's handle on a training worker: promise-returning commands, progress and notices as
// callbacks, and the trained network as a Denoiser that any sampler on the page can call.
import type {BackendName} from "../model/backend-names.js";
import type {Command, Progress, Report, TrainerSetup} from "./training-protocol.js";
import type {TrainerConfig} from "../model/trainer-config.js";
import type {TrainingData} from "../model/weights.js";
import type {Denoiser} from "../math/types.js";
import {WASM_PATHS} from "../model/wasm-paths.js";

type Request = Command extends infer C ? (C extends {id: number} ? Omit<C, "id"> : never) : never;

export interface Notice { level: "info" | "warning"; message: string }

export class TrainingSession {
  readonly d: number;
  private nextId = 1;
  private waiting = new Map<number, {resolve(value: unknown): void; reject(error: Error): void}>();
  private progressListeners = new Set<(p: Progress) => void>();
  private noticeListeners = new Set<(n: Notice) => void>();
  private closed = false;
  /** The latest progress report (null before the first chunk). */
  latest: Progress | null = null;
  backend: BackendName = "cpu";

  private constructor(private worker: Worker, d: number) {
    this.d = d;
    worker.addEventListener("message", ({data}: MessageEvent<Report>) => {
      if (data.type === "reply") {
        const pending = this.waiting.get(data.id);
        this.waiting.delete(data.id);
        if (data.ok) pending?.resolve(data.value);
        else pending?.reject(new Error(data.error));
      } else if (data.type === "progress") {
        this.latest = data.progress;
        this.backend = data.progress.backend;
        for (const listener of this.progressListeners) listener(data.progress);
      } else {
        for (const listener of this.noticeListeners) listener(data);
      }
    });
    worker.addEventListener("error", (event) => {
      for (const listener of this.noticeListeners) listener({level: "warning", message: `The training worker failed: ${event.message}`});
    });
  }

  /** Starts a worker, picks its backend (`backend` first if given) and builds the model. */
  static async start(setup: TrainerSetup, backend?: BackendName): Promise<TrainingSession> {
    const worker = new Worker(import.meta.resolve("./training-worker.js"), {type: "module"});
    const session = new TrainingSession(worker, setup.d);
    // A worker whose script fails to load never answers: reject instead of waiting forever.
    const failed = new Promise<never>((_, reject) => worker.addEventListener("error", (event) => {
      session.dispose();
      reject(new Error(`The training worker could not start${event.message ? `: ${event.message}` : ""}.`));
    }, {once: true}));
    const {backend: chosen} = (await Promise.race([session.request({type: "init", setup, wasmPaths: WASM_PATHS, backend}), failed])) as {backend: BackendName};
    session.backend = chosen;
    return session;
  }

  private request(command: Request, transfer: Transferable[] = []): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error("the training session has ended"));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, {resolve, reject});
      this.worker.postMessage({...command, id}, transfer);
    });
  }

  /** Calls `listener` with every progress report; returns an unsubscribe function. */
  onProgress(listener: (p: Progress) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  /** Calls `listener` with every notice (divergence, backend fallback, refused weights). */
  onNotice(listener: (n: Notice) => void): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  run(): void { if (!this.closed) this.worker.postMessage({type: "run"}); }
  pause(): void { if (!this.closed) this.worker.postMessage({type: "pause"}); }
  step(): Promise<number> { return this.request({type: "step"}) as Promise<number>; }
  reset(seed: number): Promise<number> { return this.request({type: "reset", seed}) as Promise<number>; }
  /** A new model (other architecture, schedule or data), replacing the current one. */
  rebuild(setup: TrainerSetup): Promise<number> { return this.request({type: "rebuild", setup}) as Promise<number>; }
  /** New training data (weights and optimiser kept); `dataset` names it for the weights files saved later. */
  setData(data: Float64Array, dataset?: TrainingData): Promise<void> { return this.request({type: "data", data, dataset}) as Promise<void>; }
  setConfig(patch: Partial<TrainerConfig>): Promise<void> { return this.request({type: "config", patch}) as Promise<void>; }
  /** Moves training to another backend, keeping the weights; resolves to the backend now in use. */
  async useBackend(backend: BackendName): Promise<BackendName> {
    this.backend = (await this.request({type: "backend", backend})) as BackendName;
    return this.backend;
  }
  /** n samples from the EMA model by deterministic DDIM with `steps` steps on the Karras grid. */
  sample(n: number, steps: number, seed: number): Promise<Float64Array> {
    return this.request({type: "sample", n, steps, seed}) as Promise<Float64Array>;
  }
  /** Makes the worker's WebGL context go away (what a GPU reset does), to show the fallback. */
  loseContext(): Promise<BackendName> { return this.request({type: "lose-context"}) as Promise<BackendName>; }
  /** The weights as a file's text. */
  save(): Promise<string> { return this.request({type: "save"}) as Promise<string>; }
  /** Loads a weights file; rejects with a reader-facing message (and keeps the model) if it is refused. */
  load(text: string): Promise<number> { return this.request({type: "load", text}) as Promise<number>; }

  /** The network as a Denoiser (EMA weights by default). */
  denoiser(which: "ema" | "raw" = "ema"): Denoiser {
    return {
      d: this.d,
      eps: (xt, t) => this.request({type: "eps", xt: Float64Array.from(xt), t, which}) as Promise<Float64Array>,
    };
  }

  /** Ends the worker; pending requests reject. */
  dispose(): void {
    this.closed = true;
    this.worker.terminate();
    for (const {reject} of this.waiting.values()) reject(new Error("the training session has ended"));
    this.waiting.clear();
  }
}
