// The training loop in a Web Worker: a wasm step at batch 512 takes longer than a frame
// (ENVIRONMENT.md), so training on the main thread would stall the page's animations. The worker
// trains in chunks sized to ~50 ms, reports once per chunk and reads messages between chunks.
import * as tf from "../vendor/tfjs.js";
import {Trainer} from "../model/trainer.js";
import {makeSchedule} from "../math/schedules.js";
import {parseWeightsFile, encodeWeightsFile} from "../model/weights.js";
import {initBackend, onBackendLost, setWasmBinaryPaths, type BackendName} from "../model/backend.js";
import {ddim} from "../samplers/ddim.js";
import {rngFromSeed} from "../math/random.js";
import type {Command, Progress, Report, TrainerSetup} from "./training-protocol.js";

const scope = self as unknown as {
  postMessage(message: Report, transfer?: Transferable[]): void;
  addEventListener(type: "message", listener: (event: MessageEvent<Command>) => void): void;
};
const post = (message: Report, transfer?: Transferable[]) => scope.postMessage(message, transfer);
const notice = (level: "info" | "warning", message: string) => post({type: "notice", level, message});

let trainer: Trainer | null = null;
let backend: BackendName = "cpu";
let running = false;
let looping = false;
let chunk = 4; // steps per chunk, adapted towards ~50 ms
let last: Progress | null = null;

/** Sends the latest progress again with the current state (after pause, reset, load, …). */
function report(): void {
  if (!trainer) return;
  const step = trainer.stepCount;
  const same = last && last.step === step;
  last = {
    step, loss: same ? last!.loss : NaN, losses: new Float32Array(0), bucketLoss: same ? last!.bucketLoss : new Float64Array(0),
    lr: last?.lr ?? NaN, stepsPerSecond: 0, running, backend, numTensors: tf.memory().numTensors,
  };
  post({type: "progress", progress: last});
}
let unsubscribe = () => {};
let queue: Promise<unknown> = Promise.resolve();

/** Runs `task` after every task queued before it: the Trainer is never used by two at once. */
function exclusive<T>(task: () => Promise<T> | T): Promise<T> {
  const result = queue.then(task);
  queue = result.catch(() => undefined);
  return result;
}

/** Yields to the worker's message queue without the 4 ms clamp of nested setTimeout. */
const yieldToMessages = () => new Promise<void>((resolve) => {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => resolve();
  channel.port2.postMessage(null);
});

function build(setup: TrainerSetup): Trainer {
  const next = new Trainer({data: setup.data, d: setup.d, schedule: makeSchedule(setup.schedule.name, setup.schedule.T), config: setup.config, seed: setup.seed});
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
  backend = await initBackend(preferred, {exclude, onSkip: (name, reason) => skipped.push(`${name} (${reason})`)});
  if (preferred && backend !== preferred) notice("warning", `The ${preferred} backend could not be used: ${skipped.join("; ")}. Running on ${backend}.`);
  unsubscribe();
  let signal = () => {};
  lost = new Promise<never>((_, reject) => { signal = () => reject(new BackendLost()); });
  lost.catch(() => {}); // observed by runOne's race; never an unhandled rejection
  unsubscribe = onBackendLost(async (loss) => {
    // A chunk in flight on the lost context may never finish: abandon it and the queue behind it,
    // keep the last good weights, move to the next backend, and carry on where training was.
    signal();
    queue = Promise.resolve();
    const snapshot = trainer?.lastGood();
    await useBackend(undefined, [loss.backend]);
    if (trainer && snapshot) { trainer.rebuild(); trainer.restore(snapshot); }
    notice("warning", `${loss.reason}; training continues on ${backend} with the same weights.`);
    if (running) void loop();
    else report();
  });
}

/** The current backend's context went away mid-chunk (see useBackend). */
class BackendLost extends Error {}
let lost: Promise<never> = new Promise<never>(() => {});

async function runOne(steps: number): Promise<void> {
  if (!trainer) return;
  const result = await Promise.race([trainer.runChunk(steps), lost]);
  if (result.diverged) {
    running = false;
    notice("warning", `Training stopped: ${result.diverged}`);
  }
  last = {
    step: result.step, loss: result.loss, losses: result.losses, bucketLoss: result.bucketLoss, lr: result.lr,
    stepsPerSecond: (1000 * result.steps) / Math.max(result.ms, 1e-3), running, backend, numTensors: tf.memory().numTensors,
  };
  post({type: "progress", progress: last});
  // Aim for ~50 ms chunks: long enough to amortise the readback, short enough to answer promptly.
  const perStep = result.ms / result.steps;
  chunk = Math.max(1, Math.min(256, Math.round(50 / Math.max(perStep, 0.05))));
}

async function loop(): Promise<void> {
  if (looping) return;
  looping = true;
  try {
    while (running && trainer) {
      await exclusive(() => runOne(chunk));
      await yieldToMessages();
    }
  } catch (e) {
    if (e instanceof BackendLost) return; // the recovery restarts the loop on the next backend
    running = false;
    notice("warning", `Training stopped: ${(e as Error).message}`);
  } finally {
    looping = false;
    if (!running) report(); // says "paused" with the final numbers
  }
}

async function handle(command: Command): Promise<unknown> {
  switch (command.type) {
    case "init":
      setWasmBinaryPaths(command.wasmPaths);
      await useBackend(command.backend);
      trainer?.dispose();
      trainer = build(command.setup);
      return {backend, step: trainer.stepCount};
    case "run": running = true; void loop(); return;
    case "pause": running = false; return;
    case "step": running = false; await runOne(1); return trainer?.stepCount;
    case "reset": running = false; trainer?.reset(command.seed); last = null; report(); return trainer?.stepCount;
    case "rebuild": running = false; trainer?.dispose(); trainer = build(command.setup); last = null; report(); return trainer.stepCount;
    case "data": trainer?.setData(command.data); return;
    case "config": trainer?.setConfig(command.patch); return;
    case "backend": {
      const snapshot = trainer?.lastGood();
      await useBackend(command.backend);
      if (trainer && snapshot) { trainer.rebuild(); trainer.restore(snapshot); }
      return backend;
    }
    case "sample": {
      // The Karras grid keeps the first step off σ_max, where an ε-model's x̂0 = (x − σε̂)/√ᾱ blows up.
      if (!trainer) throw new Error("no model yet");
      const result = await ddim(trainer.denoiser("ema"), trainer.schedule, {n: command.n}, {steps: command.steps, eta: 0, spacing: "karras", rng: rngFromSeed(command.seed)});
      return result.x;
    }
    case "eps": {
      if (!trainer) throw new Error("no model yet");
      return await trainer.denoiser(command.which).eps(command.xt, command.t);
    }
    case "lose-context": {
      // Loses the WebGL context on purpose, as a driver reset or a GPU-hungry tab would.
      const gl = (tf.backend() as unknown as {gpgpu?: {gl?: WebGL2RenderingContext}}).gpgpu?.gl;
      const lose = gl?.getExtension("WEBGL_lose_context");
      if (!lose) throw new Error(`The ${backend} backend has no WebGL context to lose.`);
      lose.loseContext();
      return backend;
    }
    case "save": {
      if (!trainer) throw new Error("no model yet");
      return encodeWeightsFile(trainer.weightsFile());
    }
    case "load": {
      if (!trainer) throw new Error("no model yet");
      const wasRunning = running;
      running = false;
      trainer.loadWeights(parseWeightsFile(command.text)); // throws with a reader-facing message; model untouched
      running = wasRunning;
      if (running) void loop();
      else report();
      return trainer.stepCount;
    }
  }
}

scope.addEventListener("message", async ({data: command}) => {
  try {
    // run/pause only flip a flag, so they act at once; everything that touches the model queues.
    const value = command.type === "run" || command.type === "pause" ? await handle(command) : await exclusive(() => handle(command));
    if ("id" in command) post({type: "reply", id: command.id, ok: true, value}, value instanceof Float64Array ? [value.buffer] : []);
  } catch (e) {
    if ("id" in command) post({type: "reply", id: command.id, ok: false, error: e instanceof Error ? e.message : String(e)});
    else notice("warning", e instanceof Error ? e.message : String(e));
  }
});
