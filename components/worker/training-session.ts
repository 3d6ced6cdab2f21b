// The page's handle on a training worker: promise-returning commands, progress and notices as
// callbacks, and the trained network as a Denoiser that any sampler on the page can call.
import type {BackendName} from "../model/backend-names.js";
import type {Command, GuideRequest, Progress, RecordRequest, Report, TrainerSetup} from "./training-protocol.js";
import type {SamplerState, SamplerSteps} from "../samplers/common.js";
import type {TrainerConfig} from "../model/trainer-config.js";
import type {TrainingData} from "../model/weights.js";
import type {ConditionalDenoiser, Denoiser, NoisyClassifier} from "../math/types.js";
import {WASM_PATHS} from "../model/wasm-paths.js";
import {Listeners, WorkerChannel, type Unnumbered} from "./channel.js";

type Request = Unnumbered<Command>;

export interface Notice { level: "info" | "warning"; message: string }

export class TrainingSession {
  readonly d: number;
  private readonly progressListeners = new Listeners<Progress>();
  private readonly noticeListeners = new Listeners<Notice>();
  private readonly stateListeners = new Listeners<{run: number; states: SamplerState[]}>();
  private nextRun = 1;
  /** The latest progress report (null before the first chunk). */
  latest: Progress | null = null;
  backend: BackendName = "cpu";

  private readonly channel: WorkerChannel<Command, Report>;

  private constructor(d: number) {
    this.d = d;
    this.channel = new WorkerChannel(import.meta.resolve("./training-worker.js"), "training", (data) => {
      if (data.type === "progress") {
        this.latest = data.progress;
        this.backend = data.progress.backend;
        this.progressListeners.emit(data.progress);
      } else if (data.type === "states") {
        this.stateListeners.emit(data);
      } else {
        this.noticeListeners.emit(data);
      }
    });
    this.channel.onError((message) => {
      this.noticeListeners.emit({level: "warning", message: `The training worker failed: ${message}`});
    });
  }

  /** Starts a worker, picks its backend (`backend` first if given) and builds the model. */
  static async start(setup: TrainerSetup, backend?: BackendName): Promise<TrainingSession> {
    const session = new TrainingSession(setup.d);
    // A worker whose script fails to load never answers: start() rejects instead of waiting forever.
    const {backend: chosen} = (await session.channel.start({type: "init", setup, wasmPaths: WASM_PATHS, backend})) as {backend: BackendName};
    session.backend = chosen;
    return session;
  }

  private request(command: Request, transfer: Transferable[] = []): Promise<unknown> {
    return this.channel.request(command, transfer);
  }

  /** Calls `listener` with every progress report; returns an unsubscribe function. */
  onProgress(listener: (p: Progress) => void): () => void {
    return this.progressListeners.add(listener);
  }

  /** Calls `listener` with every notice (divergence, backend fallback, refused weights). */
  onNotice(listener: (n: Notice) => void): () => void {
    return this.noticeListeners.add(listener);
  }

  run(): void { this.channel.post({type: "run"}); }
  pause(): void { this.channel.post({type: "pause"}); }
  step(): Promise<number> { return this.request({type: "step"}) as Promise<number>; }
  reset(seed: number): Promise<number> { return this.request({type: "reset", seed}) as Promise<number>; }
  /** A new model (other architecture, schedule or data), replacing the current one. */
  rebuild(setup: TrainerSetup): Promise<number> { return this.request({type: "rebuild", setup}) as Promise<number>; }
  /** New training data (weights and optimiser kept); `dataset` names it for the weights files saved later. */
  setData(data: Float64Array, dataset?: TrainingData): Promise<void> { return this.request({type: "data", data, dataset}) as Promise<void>; }
  /** New training data with the class of each point, for a conditional model. */
  setLabelledData(data: Float64Array, labels: Int32Array, dataset?: TrainingData): Promise<void> { return this.request({type: "data", data, labels, dataset}) as Promise<void>; }
  setConfig(patch: Partial<TrainerConfig>): Promise<void> { return this.request({type: "config", patch}) as Promise<void>; }
  /** Moves training to another backend, keeping the weights; resolves to the backend now in use. */
  async useBackend(backend: BackendName): Promise<BackendName> {
    this.backend = (await this.request({type: "backend", backend})) as BackendName;
    return this.backend;
  }
  /**
   * n samples from the EMA model by deterministic DDIM with `steps` steps on the Karras grid; with
   * `guide`, a conditional model's samples under classifier-free guidance (2 network evaluations per
   * step), by DDIM on the default grid from startNoise(n, seed).
   */
  sample(n: number, steps: number, seed: number, guide?: GuideRequest): Promise<Float64Array> {
    return this.request({type: "sample", n, steps, seed, guide}) as Promise<Float64Array>;
  }
  /**
   * A conditional model's samples of every class: `per` points of class c (rows c·per … (c+1)·per − 1),
   * each class by DDIM with `steps` steps on the default grid from startNoise(per, seed + c) and
   * w = 0 (the plain conditional model, as `sample` with guide {c, w: 0} gives), all classes in one
   * run on the backend: one batch of C·per rows per step instead of a run per class.
   */
  classSamples(per: number, steps: number, seed: number): Promise<Float64Array> {
    return this.request({type: "class-samples", per, steps, seed}) as Promise<Float64Array>;
  }
  /**
   * A sampler run in the worker on its backend (the network's EMA weights by default), as a step
   * generator like `entry.steps(session.denoiser(), …)` with the same settings would give, up to
   * float32 rounding: the states arrive in a few chunks, not one round trip per evaluation. The run
   * starts when this is called; leaving the loop early tells the worker to stop at its next chunk.
   * A run the worker refuses (bad settings, lost backend) throws at the next `next()`.
   */
  samplerSteps(request: RecordRequest): SamplerSteps {
    const run = this.nextRun++;
    const arrived: SamplerState[] = [];
    let finished = false, failure: Error | null = null, wake = () => {};
    const stopListening = this.stateListeners.add((chunk) => {
      if (chunk.run !== run) return;
      arrived.push(...chunk.states);
      wake();
    });
    const end = (error: Error | null) => {
      finished = true;
      failure = error;
      stopListening();
      wake();
    };
    this.request({type: "record", run, request: {...request, xT: Float64Array.from(request.xT)}}).then(() => end(null), (e) => end(e as Error));
    const channel = this.channel;
    return (async function* (): SamplerSteps {
      try {
        for (;;) {
          if (arrived.length) yield arrived.shift()!;
          else if (failure) throw failure;
          else if (finished) return;
          else await new Promise<void>((resolve) => (wake = resolve));
        }
      } finally {
        if (!finished) channel.post({type: "record-stop", run});
      }
    })();
  }

  /** Makes the worker's WebGL context go away (what a GPU reset does), to show the fallback. */
  loseContext(): Promise<BackendName> { return this.request({type: "lose-context"}) as Promise<BackendName>; }
  /** tf.memory().numTensors in the worker, after every request queued before this one: flat while pages sample. */
  numTensors(): Promise<number> { return this.request({type: "memory"}) as Promise<number>; }
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

  /** A conditional network as a ConditionalDenoiser, ε̂(x_t, t, c) (EMA weights by default); its calls reject for an unconditional model. */
  conditional(classes: number, which: "ema" | "raw" = "ema"): ConditionalDenoiser {
    return {
      d: this.d,
      classes,
      eps: (xt, t, c) => this.request({type: "eps", xt: Float64Array.from(xt), t, which, c}) as Promise<Float64Array>,
    };
  }

  /**
   * A new classifier of noisy points p_φ(c | x_t, t) in the worker (ClassifierNet, on the model's
   * schedule), to be trained on `points` [n, 2] with `labels` [n] by `trainClassifier`.
   */
  newClassifier(points: Float64Array, labels: Int32Array, classes: number, seed: number): Promise<void> {
    return this.request({type: "classifier-new", points, labels, classes, seed}) as Promise<void>;
  }
  /** `steps` training steps of the classifier; resolves to their mean cross-entropy. Other requests may run between calls. */
  trainClassifier(steps: number): Promise<number> { return this.request({type: "classifier-train", steps}) as Promise<number>; }
  /** The worker's classifier as a NoisyClassifier for classifier guidance (gradLogProb only: probs is not asked of it). */
  classifier(classes: number): NoisyClassifier {
    return {
      d: this.d,
      classes,
      probs: () => Promise.reject(new Error("the worker's classifier answers gradients only")),
      gradLogProb: (xt, t, c) => this.request({type: "classifier-grad", xt: Float64Array.from(xt), t, c}) as Promise<Float64Array>,
    };
  }

  /** Ends the worker; pending requests reject. */
  dispose(): void {
    this.channel.dispose();
  }
}
