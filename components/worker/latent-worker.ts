// The latent-diffusion chapter's worker: it holds the pipeline (autoencoder, both denoisers, the
// classifier), samples on request, and trains from scratch in chunks sized to ~50 ms — one
// readback each — so the page stays smooth and answers between chunks. Work that touches the
// models runs one task at a time (an exclusive queue); a chunk that diverges is rolled back by the
// model itself; a lost GPU context moves everything to the next backend with the last good weights.
import * as tf from "../vendor/tfjs.js";
import {LatentPipeline, networkSizes} from "../model/latent/pipeline.js";
import {parseLatentWeights, type LatentWeights} from "../model/latent/weights-file.js";
import {meanAttributeAccuracy} from "../math/image-metrics.js";
import {initBackend, onBackendLost, setWasmBinaryPaths} from "../model/backend.js";
import type {BackendName} from "../model/backend-names.js";
import type {AccuracyPoint, LatentCommand, LatentProgress, LatentReport} from "./latent-protocol.js";
import {yieldToMessages} from "./yield.js";

const scope = self as unknown as {
  postMessage(message: LatentReport, transfer?: Transferable[]): void;
  addEventListener(type: "message", listener: (event: MessageEvent<LatentCommand>) => void): void;
};
const post = (message: LatentReport, transfer?: Transferable[]) => scope.postMessage(message, transfer);
const notice = (level: "info" | "warning", message: string) => post({type: "notice", level, message});

/** Everything the worker knows, in one place. */
const state = {
  pipeline: null as LatentPipeline | null,
  shipped: null as LatentWeights | null,
  backend: "cpu" as BackendName,
  running: false,
  looping: false,
  /** Steps per chunk, adapted towards CHUNK_MS. */
  chunk: 2,
  trainMs: 0,
  losses: new Float32Array(0) as Float32Array<ArrayBufferLike>,
  loss: NaN,
  stepsPerSecond: 0,
  accuracy: [] as AccuracyPoint[],
  /** Latent-denoiser steps at the last accuracy check. */
  checkedAt: 0,
  /** When the last progress report was posted (performance.now()). */
  reportedAt: 0,
  queue: Promise.resolve() as Promise<unknown>,
  unsubscribe: () => {},
};

const CHUNK_MS = 50;
/** While training, progress is posted at most this often (ms), and at every stage change and accuracy check. */
const REPORT_MS = 250;
/** A quick accuracy check every this many latent-denoiser steps while training. */
const CHECK_EVERY = 250;
/** Guidance weight of the accuracy checks (the page's default). */
const CHECK_GUIDANCE = 3;

/** Runs `task` after every task queued before it: the models are never used by two at once. */
function exclusive<T>(task: () => Promise<T> | T): Promise<T> {
  const result = state.queue.then(task);
  state.queue = result.catch(() => undefined);
  return result;
}

function stageOf(p: LatentPipeline | null): LatentProgress["stage"] {
  if (!p || !state.shipped) return "shipped";
  return p.stage ?? (state.trainMs > 0 ? "done" : "shipped");
}

function report(): void {
  state.reportedAt = performance.now();
  const p = state.pipeline;
  const stage = stageOf(p);
  const model = !p || stage === "shipped" || stage === "done" ? null : stage === "autoencoder" ? p.autoencoder : stage === "latent" ? p.latent : p.pixel;
  post({type: "progress", progress: {
    stage, step: model?.stepCount ?? 0, stageSteps: model?.plan.steps ?? 0, loss: state.loss, losses: state.losses,
    stepsPerSecond: state.stepsPerSecond, trainMs: state.trainMs, running: state.running, backend: state.backend,
    numTensors: tf.memory().numTensors, accuracy: state.accuracy,
  }});
}

async function check(p: LatentPipeline): Promise<void> {
  const e = await p.evaluate("latent", CHECK_GUIDANCE, {prompts: 8, perPrompt: 4});
  state.accuracy = [...state.accuracy, {step: p.latent.stepCount, trainMs: state.trainMs, train: meanAttributeAccuracy(e.train), heldOut: meanAttributeAccuracy(e.heldOut)}];
  state.checkedAt = p.latent.stepCount;
}

async function runOne(): Promise<void> {
  const p = state.pipeline;
  if (!p || !p.stage) { state.running = false; return; }
  const start = performance.now();
  const {stage, result} = await p.trainChunk(state.chunk);
  state.trainMs += performance.now() - start;
  state.losses = result.losses;
  state.loss = result.loss;
  state.stepsPerSecond = (1000 * result.steps) / Math.max(result.ms, 1e-3);
  if (result.diverged) {
    state.running = false;
    notice("warning", `Training stopped: ${result.diverged}`);
  }
  state.chunk = Math.max(1, Math.min(64, Math.round(CHUNK_MS / Math.max(result.ms / result.steps, 0.05))));
  const latentDone = stage === "latent" && p.stage !== "latent";
  const checking = stage === "latent" && (p.latent.stepCount - state.checkedAt >= CHECK_EVERY || latentDone);
  if (checking) await check(p);
  if (!p.stage) state.running = false;
  // Every chunk would be ~20 reports a second, each redrawing the page's status on its main thread.
  if (checking || p.stage !== stage || result.diverged || !state.running || performance.now() - state.reportedAt >= REPORT_MS) report();
}

async function loop(): Promise<void> {
  if (state.looping) return;
  state.looping = true;
  try {
    while (state.running && state.pipeline?.stage) {
      await exclusive(runOne);
      await yieldToMessages();
    }
  } catch (e) {
    if (e instanceof BackendLost) return;
    notice("warning", `Training stopped: ${(e as Error).message}`);
  } finally {
    state.looping = false;
    state.running = false;
    report();
  }
}

/** The current backend's context went away mid-task (see useBackend). */
class BackendLost extends Error {}

async function useBackend(preferred: BackendName | undefined, exclude: BackendName[] = []): Promise<void> {
  const skipped: string[] = [];
  state.backend = await initBackend(preferred, {exclude, onSkip: (name, reason) => skipped.push(`${name} (${reason})`)});
  if (preferred && state.backend !== preferred) notice("warning", `The ${preferred} backend could not be used: ${skipped.join("; ")}. Running on ${state.backend}.`);
  state.unsubscribe();
  state.unsubscribe = onBackendLost(async (loss) => {
    // Work in flight on the lost context may never finish: drop the queue, move to the next
    // backend and rebuild every tensor from the last good weights.
    state.queue = Promise.resolve();
    await useBackend(undefined, [loss.backend]);
    state.pipeline?.rebuild();
    notice("warning", `${loss.reason}; the models continue on ${state.backend} with the same weights.`);
    if (state.running) void loop();
    else report();
  });
}

async function handle(c: LatentCommand): Promise<unknown> {
  switch (c.type) {
    case "init": {
      setWasmBinaryPaths(c.wasmPaths);
      await useBackend(c.backend);
      state.shipped = parseLatentWeights(c.weights, networkSizes);
      state.pipeline?.dispose();
      state.pipeline = LatentPipeline.fromWeights(state.shipped);
      report();
      return {backend: state.backend, measured: state.shipped.measured};
    }
    case "sample": {
      const p = need();
      const out = await p.sample(c.space, c.caption, c);
      return out;
    }
    case "evaluate": return need().evaluate(c.space, c.guidance, {prompts: c.prompts, perPrompt: c.perPrompt});
    case "reconstruct": return need().reconstruct(c.n, c.seed);
    case "decode": return need().decode(c.z);
    case "train": {
      state.running = false;
      const classifier = need().classifier.emaWeights();
      state.pipeline?.dispose();
      state.pipeline = LatentPipeline.untrained(state.shipped!.recipe, classifier, c.seed);
      state.pipeline.includePixel = c.includePixel;
      Object.assign(state, {trainMs: 0, accuracy: [], checkedAt: 0, loss: NaN, losses: new Float32Array(0), stepsPerSecond: 0, chunk: 2});
      report();
      return;
    }
    case "run": state.running = true; void loop(); return;
    case "pause": state.running = false; return;
    case "shipped": {
      state.running = false;
      state.pipeline?.dispose();
      state.pipeline = LatentPipeline.fromWeights(state.shipped!);
      Object.assign(state, {trainMs: 0, accuracy: [], loss: NaN, losses: new Float32Array(0)});
      report();
      return;
    }
    case "time": return need().measureCost(c.steps);
    case "backend": {
      await useBackend(c.backend);
      state.pipeline?.rebuild();
      report();
      return state.backend;
    }
    case "lose-context": {
      // Loses the WebGL context on purpose, as a driver reset or a GPU-hungry tab would.
      const gl = (tf.backend() as unknown as {gpgpu?: {gl?: WebGL2RenderingContext}}).gpgpu?.gl;
      const lose = gl?.getExtension("WEBGL_lose_context");
      if (!lose) throw new Error(`The ${state.backend} backend has no WebGL context to lose.`);
      lose.loseContext();
      return state.backend;
    }
  }
}

function need(): LatentPipeline {
  if (!state.pipeline) throw new Error("the models are not loaded yet");
  return state.pipeline;
}

scope.addEventListener("message", async ({data: command}) => {
  try {
    const value = command.type === "run" || command.type === "pause" ? await handle(command) : await exclusive(() => handle(command));
    if ("id" in command) post({type: "reply", id: command.id, ok: true, value}, transferables(value));
  } catch (e) {
    if ("id" in command) post({type: "reply", id: command.id, ok: false, error: e instanceof Error ? e.message : String(e)});
    else notice("warning", e instanceof Error ? e.message : String(e));
  }
});

/** The typed arrays' buffers inside a reply, moved rather than copied. */
function transferables(value: unknown): Transferable[] {
  if (!value || typeof value !== "object") return [];
  const out = new Set<ArrayBuffer>();
  for (const v of Object.values(value)) if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) out.add(v.buffer);
  if (ArrayBuffer.isView(value) && value.buffer instanceof ArrayBuffer) out.add(value.buffer);
  return [...out];
}
