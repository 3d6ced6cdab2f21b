// The training loop in a Web Worker: one wasm training step at batch 512 was measured at ~31 ms,
// longer than a frame, so training on the main thread would stall the page's animations. The worker
// trains in chunks sized to ~50 ms, reports once per chunk and reads messages between chunks.
import * as tf from "../vendor/tfjs.js";
import {Trainer} from "../model/trainer.js";
import {ConditionalTrainer} from "../model/conditional-trainer.js";
import {ClassifierNet} from "../model/noisy-classifier.js";
import {makeSchedule} from "../math/schedules.js";
import {parseWeightsFile, encodeWeightsFile, type TrainingData} from "../model/weights.js";
import {initBackend, onBackendLost, setWasmBinaryPaths} from "../model/backend.js";
import type {BackendName} from "../model/backend-names.js";
import {ddim} from "../samplers/ddim.js";
import {rngFromSeed} from "../math/random.js";
import {runOptions, startNoise} from "../samplers/sampling-plan.js";
import {samplerByName} from "../samplers/index.js";
import {runOnDevice, sampleEma, withNetwork} from "../model/device-sampler.js";
import type {Command, Progress, RecordRequest, Report, TrainerSetup} from "./training-protocol.js";
import {yieldToMessages} from "./yield.js";

const scope = self as unknown as {
  postMessage(message: Report, transfer?: Transferable[]): void;
  addEventListener(type: "message", listener: (event: MessageEvent<Command>) => void): void;
};
const post = (message: Report, transfer?: Transferable[]) => scope.postMessage(message, transfer);
const notice = (level: "info" | "warning", message: string) => post({type: "notice", level, message});

/** The current backend's context went away while a task was running or queued (see useBackend). */
class BackendLost extends Error {
  constructor() {
    super("the GPU context was lost during this request; the model carries on on the next backend");
  }
}

/** Everything the worker remembers between messages. */
const state = {
  /** The model being trained (null before "init"). */
  trainer: null as Trainer | null,
  /** A classifier of noisy points for classifier guidance, on the trainer's schedule (null until "classifier-new"). */
  classifier: null as ClassifierNet | null,
  /** What the training data is, recorded in saved weights files (undefined: not told). */
  dataset: undefined as TrainingData | undefined,
  backend: "cpu" as BackendName,
  /** The reader asked to train: the loop keeps going while this holds. */
  running: false,
  /** A loop is in progress (so "run" does not start a second one). */
  looping: false,
  /** Steps per chunk, adapted towards ~50 ms. */
  chunk: 4,
  /** The latest progress report sent. */
  last: null as Progress | null,
  /** The tail of the exclusive queue: every task that touches the Trainer waits for it. */
  queue: Promise.resolve() as Promise<unknown>,
  /** Rejects with BackendLost when the current backend's context goes away; every queued task races it. */
  lost: new Promise<never>(() => {}),
  /** Backends lost so far: a task queued before a loss never starts after it. */
  losses: 0,
  /** Stops listening for the loss of the previous backend. */
  unsubscribe: () => {},
  /** Recorded runs the page no longer wants ("record-stop"): they end at their next chunk. */
  stopped: new Set<number>(),
};

/** Sends the latest progress again with the current state (after pause, reset, load, …). */
function report(): void {
  const {trainer, last} = state;
  if (!trainer) return;
  const step = trainer.stepCount;
  const same = last !== null && last.step === step;
  state.last = {
    step, loss: same ? last.loss : NaN, losses: new Float32Array(0), bucketLoss: same ? last.bucketLoss : new Float64Array(0),
    lr: last?.lr ?? NaN, stepsPerSecond: 0, running: state.running, backend: state.backend, numTensors: tf.memory().numTensors,
  };
  post({type: "progress", progress: state.last});
}

/**
 * Runs `task` after every task queued before it: the Trainer is never used by two at once. If the
 * backend's context goes away before the task starts or while it runs, it rejects with BackendLost
 * instead: work on a lost GPU context may never finish, and must not hold up the queue behind it.
 */
function exclusive<T>(task: () => Promise<T> | T): Promise<T> {
  const losses = state.losses;
  const result = state.queue.then(() => {
    if (state.losses !== losses) throw new BackendLost();
    const lost = state.lost;
    return Promise.race([task(), lost]);
  });
  state.queue = result.catch(() => undefined);
  return result;
}

function build(setup: TrainerSetup): Trainer {
  state.dataset = setup.dataset;
  const options = {data: setup.data, d: setup.d, schedule: makeSchedule(setup.schedule.name, setup.schedule.T), config: setup.config, seed: setup.seed};
  if (setup.classes && !setup.labels) throw new Error("A conditional model needs the class of every training point.");
  const next = setup.classes ? new ConditionalTrainer({...options, classes: setup.classes, labels: setup.labels!, pUncond: setup.pUncond}) : new Trainer(options);
  if (setup.weights) {
    try {
      next.loadWeights(parseWeightsFile(setup.weights));
    } catch (e) {
      notice("warning", `${(e as Error).message} Starting from fresh weights.`);
    }
  }
  return next;
}

async function useBackend(preferred: BackendName | undefined, exclude: BackendName[] = []): Promise<void> {
  const skipped: string[] = [];
  state.backend = await initBackend(preferred, {exclude, onSkip: (name, reason) => skipped.push(`${name} (${reason})`)});
  if (preferred && state.backend !== preferred) notice("warning", `The ${preferred} backend could not be used: ${skipped.join("; ")}. Running on ${state.backend}.`);
  state.unsubscribe();
  let signal = () => {};
  state.lost = new Promise<never>((_, reject) => { signal = () => reject(new BackendLost()); });
  state.lost.catch(() => {}); // observed by runOne's race; never an unhandled rejection
  state.unsubscribe = onBackendLost((loss) => {
    // Work in flight on the lost context may never finish: abandon it and everything queued behind it
    // (they reject with BackendLost, and a training loop among them stops), keep the last good
    // weights, move to the next backend, and carry on where training was. The recovery heads a new
    // queue, so requests that arrive meanwhile wait for the rebuilt model.
    signal();
    state.losses++;
    const snapshot = state.trainer?.lastGood();
    const recovered = (async () => {
      await useBackend(undefined, [loss.backend]);
      if (state.trainer && snapshot) { state.trainer.rebuild(); state.trainer.restore(snapshot); }
      state.classifier?.rebuild();
      notice("warning", `${loss.reason}; training continues on ${state.backend} with the same weights.`);
    })();
    state.queue = recovered.catch(() => undefined);
    recovered.then(() => (state.running ? void loop() : report()), (e) => notice("warning", `Training stopped: ${(e as Error).message}`));
  });
}

async function runOne(steps: number): Promise<void> {
  const {trainer} = state;
  if (!trainer) return;
  const result = await trainer.runChunk(steps);
  if (result.diverged) {
    state.running = false;
    notice("warning", `Training stopped: ${result.diverged}`);
  }
  state.last = {
    step: result.step, loss: result.loss, losses: result.losses, bucketLoss: result.bucketLoss, lr: result.lr,
    stepsPerSecond: (1000 * result.steps) / Math.max(result.ms, 1e-3), running: state.running, backend: state.backend, numTensors: tf.memory().numTensors,
  };
  post({type: "progress", progress: state.last});
  // Aim for ~50 ms chunks: long enough to amortise the readback, short enough to answer promptly.
  const perStep = result.ms / result.steps;
  state.chunk = Math.max(1, Math.min(256, Math.round(50 / Math.max(perStep, 0.05))));
}

async function loop(): Promise<void> {
  if (state.looping) return;
  state.looping = true;
  try {
    while (state.running && state.trainer) {
      await exclusive(() => runOne(state.chunk));
      await yieldToMessages();
    }
  } catch (e) {
    if (e instanceof BackendLost) return; // the recovery restarts the loop on the next backend
    state.running = false;
    notice("warning", `Training stopped: ${(e as Error).message}`);
  } finally {
    state.looping = false;
    if (!state.running) report(); // says "paused" with the final numbers
  }
}

/**
 * Runs a sampler on the backend beside the network (runOnDevice of the sampler's program), posting
 * every state in a few chunks as "states" reports: one message per chunk instead of a round trip
 * per evaluation. Ends early, at a chunk boundary, once the page sends "record-stop". Resolves to
 * the number of evaluations made.
 */
async function record(run: number, request: RecordRequest): Promise<number> {
  const trainer = model();
  const options = runOptions(request);
  const program = samplerByName(request.sampler).program(trainer.schedule, options);
  let nfe = 0;
  try {
    await withNetwork(trainer.model, request.which === "raw" ? trainer.model.params : () => trainer.ema.weights(), async (net) => {
      for await (const states of runOnDevice(net, trainer.schedule, program, request.xT, {rng: options.rng, record: request.record ?? true})) {
        nfe = states.at(-1)?.nfe ?? nfe;
        post({type: "states", run, states}, states.flatMap((s) => (s.x0 ? [s.x.buffer, s.x0.buffer] : [s.x.buffer])));
        await yieldToMessages();
        if (state.stopped.has(run)) break;
      }
    });
    return nfe;
  } finally {
    state.stopped.delete(run);
  }
}

/** The classifier of noisy points, or an error a page can show. */
function classifierNet(): ClassifierNet {
  if (!state.classifier) throw new Error("no classifier yet");
  return state.classifier;
}

/** The trainer if it is class-conditional, else an error a page can show. */
function conditionalModel(): ConditionalTrainer {
  const trainer = model();
  if (!(trainer instanceof ConditionalTrainer)) throw new Error("This model has no class input: train a conditional model for guidance.");
  return trainer;
}

/** The trainer, or an error a page can show when a command comes before "init". */
function model(): Trainer {
  if (!state.trainer) throw new Error("no model yet");
  return state.trainer;
}

async function handle(command: Command): Promise<unknown> {
  switch (command.type) {
    case "init":
      setWasmBinaryPaths(command.wasmPaths);
      await useBackend(command.backend);
      state.trainer?.dispose();
      state.trainer = build(command.setup);
      return {backend: state.backend, step: state.trainer.stepCount};
    case "run": state.running = true; void loop(); return;
    case "pause": state.running = false; return;
    case "step": state.running = false; await runOne(1); return state.trainer?.stepCount;
    case "reset": state.running = false; state.trainer?.reset(command.seed); state.last = null; report(); return state.trainer?.stepCount;
    case "rebuild": state.running = false; state.trainer?.dispose(); state.trainer = build(command.setup); state.last = null; report(); return state.trainer.stepCount;
    case "data": {
      const trainer = model();
      if (command.labels) conditionalModel().setLabelledData(command.data, command.labels);
      else trainer.setData(command.data);
      state.dataset = command.dataset;
      return;
    }
    case "config": state.trainer?.setConfig(command.patch); return;
    case "backend": {
      const snapshot = state.trainer?.lastGood();
      await useBackend(command.backend);
      if (state.trainer && snapshot) { state.trainer.rebuild(); state.trainer.restore(snapshot); }
      state.classifier?.rebuild();
      return state.backend;
    }
    case "sample": {
      if (command.guide) {
        // Classifier-free guidance: ε̃ from one evaluation of 2n rows per step (guidedNetworkDenoiser), on the
        // default grid and from startNoise(n, seed), as the guidance chapter's exact runs (guidedSteps), so
        // the two can be compared sample by sample.
        const trainer = conditionalModel();
        const result = await ddim(trainer.guided(command.guide), trainer.schedule, startNoise(command.n, command.seed), {steps: command.steps, eta: 0});
        return result.x;
      }
      // The Karras grid keeps the first step off σ_max, where an ε-model's x̂0 = (x − σε̂)/√ᾱ blows up.
      const trainer = model();
      // On the backend from x_T to the samples: one readback instead of one per step.
      const program = samplerByName("ddim").program(trainer.schedule, {steps: command.steps, spacing: "karras"});
      return (await sampleEma(trainer, program, {n: command.n}, rngFromSeed(command.seed))).x;
    }
    case "class-samples": {
      const trainer = conditionalModel(), {classes} = trainer.model.config, {per, seed} = command;
      const xT = new Float64Array(classes * per * trainer.d);
      for (let c = 0; c < classes; ++c) xT.set(startNoise(per, seed + c), c * per * trainer.d);
      const labels = Int32Array.from({length: classes * per}, (_, i) => Math.floor(i / per));
      const program = samplerByName("ddim").program(trainer.schedule, {steps: command.steps, eta: 0});
      return (await sampleEma(trainer, program, xT, undefined, labels)).x;
    }
    case "record": return await record(command.run, command.request);
    case "record-stop": state.stopped.add(command.run); return;
    case "eps": return command.c === undefined ? await model().denoiser(command.which).eps(command.xt, command.t) : await conditionalModel().conditional(command.which).eps(command.xt, command.t, command.c);
    case "classifier-new":
      state.classifier?.dispose();
      state.classifier = new ClassifierNet(model().schedule, command.points, command.labels, {classes: command.classes, seed: command.seed});
      return;
    case "classifier-train": return await classifierNet().train(command.steps);
    case "classifier-grad": return await classifierNet().gradLogProb(command.xt, command.t, command.c);
    case "lose-context": {
      // Loses the WebGL context on purpose, as a driver reset or a GPU-hungry tab would.
      const gl = (tf.backend() as unknown as {gpgpu?: {gl?: WebGL2RenderingContext}}).gpgpu?.gl;
      const lose = gl?.getExtension("WEBGL_lose_context");
      if (!lose) throw new Error(`The ${state.backend} backend has no WebGL context to lose.`);
      lose.loseContext();
      return state.backend;
    }
    case "memory": return tf.memory().numTensors;
    case "save": return encodeWeightsFile({...model().weightsFile(), ...(state.dataset ? {dataset: state.dataset} : {})});
    case "load": {
      const trainer = model();
      const wasRunning = state.running;
      state.running = false;
      trainer.loadWeights(parseWeightsFile(command.text)); // throws with a reader-facing message; model untouched
      state.running = wasRunning;
      if (state.running) void loop();
      else report();
      return trainer.stepCount;
    }
  }
}

scope.addEventListener("message", async ({data: command}) => {
  try {
    // run/pause/record-stop only flip a flag, so they act at once; everything that touches the model queues.
    const value = command.type === "run" || command.type === "pause" || command.type === "record-stop" ? await handle(command) : await exclusive(() => handle(command));
    if ("id" in command) post({type: "reply", id: command.id, ok: true, value}, value instanceof Float64Array ? [value.buffer] : []);
  } catch (e) {
    if ("id" in command) post({type: "reply", id: command.id, ok: false, error: e instanceof Error ? e.message : String(e)});
    else notice("warning", e instanceof Error ? e.message : String(e));
  }
});
