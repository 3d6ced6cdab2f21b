// The latent-diffusion chapter's handle on its worker: promise-returning requests, progress and
// notices as callbacks. No tfjs here: the page never loads TensorFlow.js, the worker does.
import type {BackendName} from "../model/backend-names.js";
import type {Cost, Evaluation, Images, Space} from "../model/latent/pipeline.js";
import type {Attributes} from "../math/toy-images.js";
import type {LatentCommand, LatentProgress, LatentReport, SampleRequest} from "./latent-protocol.js";
import {WASM_PATHS} from "../model/wasm-paths.js";
import {Listeners, WorkerChannel, type Unnumbered} from "./channel.js";

type Request = Unnumbered<LatentCommand>;

export interface Notice { level: "info" | "warning"; message: string }

/** What the worker's cost probe returns (LatentPipeline.measureCost): each denoiser, and the autoencoder. */
export type {Cost};

export class LatentSession {
  private readonly progressListeners = new Listeners<LatentProgress>();
  private readonly noticeListeners = new Listeners<Notice>();
  /** The latest progress report (null before the first). */
  latest: LatentProgress | null = null;
  backend: BackendName = "cpu";
  /** What the build measured of the shipped models (from the weights file). */
  measured: Record<string, unknown> = {};

  private readonly channel = new WorkerChannel<LatentCommand, LatentReport>(import.meta.resolve("./latent-worker.js"), "latent-diffusion", (data) => {
    if (data.type === "progress") {
      this.latest = data.progress;
      this.backend = data.progress.backend;
      this.progressListeners.emit(data.progress);
    } else {
      this.noticeListeners.emit(data);
    }
  });

  private constructor() {
    this.channel.onError((message) => {
      this.noticeListeners.emit({level: "warning", message: `The latent-diffusion worker failed: ${message}`});
    });
  }

  /** Starts the worker on `backend` (or the fastest that works) with the shipped weights file's text. */
  static async start(weights: string, backend?: BackendName): Promise<LatentSession> {
    const session = new LatentSession();
    // A worker whose script fails to load never answers: start() rejects instead of waiting forever.
    const reply = (await session.channel.start({type: "init", weights, wasmPaths: WASM_PATHS, backend})) as {backend: BackendName; measured: Record<string, unknown>};
    session.backend = reply.backend;
    session.measured = reply.measured;
    return session;
  }

  private request(command: Request): Promise<unknown> {
    return this.channel.request(command);
  }

  /** Calls `listener` with every progress report; returns an unsubscribe function. */
  onProgress(listener: (p: LatentProgress) => void): () => void {
    return this.progressListeners.add(listener);
  }

  /** Calls `listener` with every notice (divergence, backend fallback); returns an unsubscribe function. */
  onNotice(listener: (n: Notice) => void): () => void {
    return this.noticeListeners.add(listener);
  }

  /** Images for one tokenized caption, with the film strip and attention maps if asked. */
  sample(r: SampleRequest): Promise<Images> {
    return this.request({type: "sample", ...r}) as Promise<Images>;
  }
  /** Prompt accuracy on training and held-out combinations, and diversity. */
  evaluate(space: Space, guidance: number, prompts = 16, perPrompt = 4): Promise<Evaluation> {
    return this.request({type: "evaluate", space, guidance, prompts, perPrompt}) as Promise<Evaluation>;
  }
  /** n images beside their reconstructions, their scaled latents and attributes, and the error. */
  reconstruct(n: number, seed: number): Promise<{original: Float32Array; reconstructed: Float32Array; latents: Float32Array; attributes: Attributes[]; mse: number}> {
    return this.request({type: "reconstruct", n, seed}) as Promise<{original: Float32Array; reconstructed: Float32Array; latents: Float32Array; attributes: Attributes[]; mse: number}>;
  }
  /** Pixels for scaled latents [n, 64]. */
  decode(z: Float32Array): Promise<Float32Array> {
    return this.request({type: "decode", z}) as Promise<Float32Array>;
  }
  /** Fresh untrained models from `seed`, ready to train (run() starts). */
  train(seed: number, includePixel: boolean): Promise<void> {
    return this.request({type: "train", seed, includePixel}) as Promise<void>;
  }
  run(): void { this.channel.post({type: "run"}); }
  pause(): void { this.channel.post({type: "pause"}); }
  /** Back to the site's shipped models. */
  useShipped(): Promise<void> { return this.request({type: "shipped"}) as Promise<void>; }
  /** ms per training step and per image of each denoiser, measured in the worker. */
  measureCost(steps = 20): Promise<Cost> { return this.request({type: "time", steps}) as Promise<Cost>; }
  /** Moves the models to another backend; resolves to the backend now in use. */
  async useBackend(backend: BackendName): Promise<BackendName> {
    this.backend = (await this.request({type: "backend", backend})) as BackendName;
    return this.backend;
  }
  /** Makes the worker's WebGL context go away, to show the fallback. */
  loseContext(): Promise<BackendName> { return this.request({type: "lose-context"}) as Promise<BackendName>; }

  /** Ends the worker; pending requests reject. */
  dispose(): void {
    this.channel.dispose();
  }
}
