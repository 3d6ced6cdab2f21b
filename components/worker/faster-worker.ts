// The /faster chapter's worker: trains the students and samples every method (faster-suite.ts) off the
// page's thread, one event per training chunk, reading messages (pause, resume, stop) between chunks.
import * as tf from "../vendor/tfjs.js";
import {initBackend, setWasmBinaryPaths} from "../model/backend.js";
import type {BackendName} from "../model/backend-names.js";
import {parseWeightsFile, type WeightsFile} from "../model/weights.js";
import {runFasterSuite} from "../model/faster-suite.js";
import {makeSchedule} from "../math/schedules.js";
import type {SuiteEvent} from "../model/faster-config.js";
import type {FasterCommand, FasterReport} from "./faster-protocol.js";
import {yieldToMessages} from "./yield.js";

const scope = self as unknown as {
  postMessage(message: FasterReport, transfer?: Transferable[]): void;
  addEventListener(type: "message", listener: (event: MessageEvent<FasterCommand>) => void): void;
};
const post = (message: FasterReport, transfer?: Transferable[]) => scope.postMessage(message, transfer);

const state = {
  teacher: null as WeightsFile | null,
  backend: "cpu" as BackendName,
  paused: false,
  stopped: false,
  /** Resolves a paused run when the page resumes or stops it. */
  wake: () => {},
};

async function run(options: Parameters<typeof runFasterSuite>[2]): Promise<boolean> {
  const teacher = state.teacher;
  if (!teacher) throw new Error("no teacher yet");
  state.stopped = false;
  state.paused = false;
  const suite = runFasterSuite(teacher, makeSchedule(teacher.schedule.name, teacher.schedule.T), options);
  for await (const event of suite) {
    post({type: "event", event, backend: state.backend, numTensors: tf.memory().numTensors}, transferable(event));
    await yieldToMessages();
    while (state.paused && !state.stopped) await new Promise<void>((resolve) => (state.wake = resolve));
    if (state.stopped) {
      await suite.return();
      return false;
    }
  }
  return true;
}

/** The big arrays of an event, moved to the page rather than copied (the worker does not read them again). */
function transferable(event: SuiteEvent): Transferable[] {
  switch (event.type) {
    case "quality": return [event.x.buffer];
    case "paths": return event.path.map((x) => x.buffer);
    case "field": return event.velocity.map((v) => v.buffer);
    default: return [];
  }
}

async function handle(command: FasterCommand): Promise<unknown> {
  switch (command.type) {
    case "init":
      setWasmBinaryPaths(command.wasmPaths);
      state.backend = await initBackend(command.backend);
      state.teacher = parseWeightsFile(command.weights);
      return {backend: state.backend};
    case "run": return run(command.options);
    case "pause": state.paused = true; return;
    case "resume": state.paused = false; state.wake(); return;
    case "stop": state.stopped = true; state.wake(); return;
  }
}

scope.addEventListener("message", async ({data: command}) => {
  try {
    const value = await handle(command);
    if ("id" in command) post({type: "reply", id: command.id, ok: true, value});
  } catch (e) {
    if ("id" in command) post({type: "reply", id: command.id, ok: false, error: (e as Error).message});
  }
});
