// Weights files: a trained denoiser's config, schedule and weights as versioned JSON (float32 arrays
// in little-endian base64), parsed with checks that a reader's mistake cannot get past.
import {checkWeights, modelConfigOf, normalizeConfig, paramSpecs, validateConfig, type DenoiserConfig} from "./denoiser-config.js";
import {DEFAULT_CONFIG} from "./defaults.js";
import type {TrainerConfig} from "./trainer-config.js";
import {checkScheduleSpec, type Schedule, type ScheduleSpec} from "../math/schedules.js";
import {DATASETS, isDatasetName, type DatasetName} from "../math/datasets.js";

/** The marker every weights file carries in its "format" field. */
export const WEIGHTS_FORMAT = "diffusion-lab-weights";
/** The format version this code writes and reads. */
export const WEIGHTS_VERSION = 1;

/** What a network was trained on: one of DATASETS by name, or "drawn" for a reader's drawing. */
export type TrainingData = DatasetName | "drawn";

/** A weights file's content, decoded. Arrays are in `paramSpecs(config)` order. */
export interface WeightsFile {
  config: DenoiserConfig;
  /** The schedule the network was trained on (rebuild it with makeSchedule(name, T)). */
  schedule: ScheduleSpec;
  /**
   * The data the network was trained on, when the writer knew it (an optional field of version 1:
   * files written before it have none).
   */
  dataset?: TrainingData;
  weights: Float32Array[];
  /** EMA weights, used for sampling when present. */
  ema?: Float32Array[];
  /** Training steps taken. */
  step: number;
}

const PREFIX = "This file is not a Diffusion Lab weights file: ";

/** The JSON text for `file` (version WEIGHTS_VERSION). */
export function encodeWeightsFile(file: WeightsFile): string {
  const specs = paramSpecs(file.config);
  const tensors = (arrays: Float32Array[]) => arrays.map((a, i) => ({name: specs[i].name, shape: specs[i].shape, data: toBase64(a)}));
  return JSON.stringify({
    format: WEIGHTS_FORMAT,
    version: WEIGHTS_VERSION,
    config: file.config,
    schedule: {name: file.schedule.name, T: file.schedule.T},
    ...(file.dataset ? {dataset: file.dataset} : {}),
    step: file.step,
    weights: tensors(file.weights),
    ...(file.ema ? {ema: tensors(file.ema)} : {}),
    savedAt: new Date().toISOString(),
  });
}

/**
 * Parses and checks a weights file: JSON, format marker, version, config, schedule, every tensor's
 * name, shape, base64 payload and finiteness. Throws an Error whose message starts
 * "This file is not a Diffusion Lab weights file: " and says what is wrong. Touches no model.
 */
export function parseWeightsFile(text: string): WeightsFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${PREFIX}it is not valid JSON (${e instanceof Error ? e.message : String(e)}).`);
  }
  const fail = (why: string): never => { throw new Error(`${PREFIX}${why}`); };
  if (!isObject(json) || json.format !== WEIGHTS_FORMAT) fail(`it has no "format": "${WEIGHTS_FORMAT}" marker.`);
  const o = json as Record<string, unknown>;
  if (o.version !== WEIGHTS_VERSION) {
    fail(typeof o.version === "number" && o.version > WEIGHTS_VERSION
      ? `it is format version ${o.version}, written by a newer Diffusion Lab; this page reads version ${WEIGHTS_VERSION}.`
      : `its format version is ${JSON.stringify(o.version)}; this page reads version ${WEIGHTS_VERSION}.`);
  }
  if (!isObject(o.config)) fail(`it has no model "config".`);
  const config = o.config as unknown as DenoiserConfig;
  try {
    validateConfig(config);
  } catch (e) {
    fail(`its model config is invalid (${(e as Error).message}).`);
  }
  if (!isObject(o.schedule) || typeof o.schedule.name !== "string" || !Number.isInteger(o.schedule.T)) fail(`it has no schedule {name, T}.`);
  let schedule!: ScheduleSpec;
  try {
    schedule = checkScheduleSpec(o.schedule as Record<string, unknown>);
  } catch (e) {
    fail(`its schedule is not one this site can build (${(e as Error).message}).`);
  }
  if (schedule.T !== config.T) fail(`its schedule has T = ${schedule.T} but its model was built for T = ${config.T}.`);
  let dataset: TrainingData | undefined;
  if (o.dataset === "drawn" || isDatasetName(o.dataset)) dataset = o.dataset;
  else if (o.dataset !== undefined) fail(`its data set ${JSON.stringify(o.dataset)} is not one this site knows (${DATASETS.map((d) => d.name).join(", ")} or "drawn").`);
  const step = o.step ?? 0;
  if (!Number.isInteger(step) || (step as number) < 0) fail(`its step count ${JSON.stringify(step)} is not a non-negative integer.`);
  const specs = paramSpecs(config);
  const decode = (field: "weights" | "ema"): Float32Array[] => {
    const list = o[field];
    if (!Array.isArray(list)) return fail(`"${field}" is not a list of tensors.`);
    if (list.length !== specs.length) fail(`"${field}" holds ${list.length} tensors; its config needs ${specs.length}.`);
    const arrays = list.map((entry: unknown, i) => {
      const spec = specs[i];
      if (!isObject(entry) || entry.name !== spec.name) return fail(`tensor ${i} of "${field}" should be ${spec.name}.`);
      if (!Array.isArray(entry.shape) || entry.shape.join() !== spec.shape.join()) {
        fail(`${field} tensor ${spec.name} has shape [${String(entry.shape)}]; its config needs [${spec.shape}].`);
      }
      if (typeof entry.data !== "string") return fail(`${field} tensor ${spec.name} has no base64 "data".`);
      const values = fromBase64(entry.data, `${field} tensor ${spec.name}`, fail);
      const size = spec.shape.reduce((a, b) => a * b, 1);
      if (values.length !== size) fail(`${field} tensor ${spec.name} holds ${values.length} values; shape [${spec.shape}] needs ${size}.`);
      return values;
    });
    try {
      checkWeights(specs, arrays);
    } catch (e) {
      fail(`in "${field}", ${(e as Error).message}.`);
    }
    return arrays;
  };
  const weights = decode("weights");
  const ema = o.ema === undefined ? undefined : decode("ema");
  return {config: {...config}, schedule, ...(dataset ? {dataset} : {}), weights, ema, step: step as number};
}

/**
 * What rebuilds `file`'s network: its point dimension, its schedule, and a TrainerConfig with every
 * architecture field the file records over DEFAULT_CONFIG's optimiser settings (which a file does not
 * record). Trainer.fromFile builds it; a chapter sends it to a worker.
 */
export function fileNetwork(file: WeightsFile): {d: number; schedule: ScheduleSpec; config: TrainerConfig} {
  return {d: file.config.d, schedule: {...file.schedule}, config: {...DEFAULT_CONFIG, model: modelConfigOf(file.config)}};
}

/**
 * Throws unless `file` fits a model built with `config` on `schedule` (same architecture, prediction
 * type and schedule). The message says which field differs.
 */
export function checkCompatible(file: WeightsFile, config: DenoiserConfig, schedule: Pick<Schedule, "name">): void {
  const keys: (keyof DenoiserConfig)[] = ["d", "width", "depth", "activation", "prediction", "T", "embedDim", "embedScale", "timeInput", "fourierFeatures", "fourierScale"];
  const a = normalizeConfig(file.config), b = normalizeConfig(config);
  const diffs = keys
    .filter((k) => a[k] !== b[k])
    .map((k) => `${k} is ${JSON.stringify(a[k])} in the file and ${JSON.stringify(b[k])} here`);
  if (file.schedule.name !== schedule.name) diffs.push(`the schedule is "${file.schedule.name}" in the file and "${schedule.name}" here`);
  if (diffs.length) throw new Error(`These weights do not fit the current model: ${diffs.join("; ")}.`);
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Float32 values as little-endian bytes in base64. */
export function toBase64(values: Float32Array): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Inverse of toBase64; calls `fail` with a reason on a malformed payload. */
export function fromBase64(text: string, what: string, fail: (why: string) => never = (why) => { throw new Error(why); }): Float32Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4) fail(`${what} is not valid base64.`);
  const binary = atob(text);
  if (binary.length % 4) fail(`${what} is ${binary.length} bytes, not a whole number of float32 values.`);
  const view = new DataView(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; ++i) view.setUint8(i, binary.charCodeAt(i));
  const out = new Float32Array(binary.length / 4);
  for (let i = 0; i < out.length; ++i) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/* Browser storage. localStorage holds strings of a few MB per site; a 3×128 model is ~0.3 MB as JSON. */

const STORAGE_PREFIX = "diffusion-lab:weights:";

function storage(): Storage | null {
  try {
    const s = (globalThis as {localStorage?: Storage}).localStorage;
    return s ?? null;
  } catch {
    return null; // some browsers throw on access when storage is disabled
  }
}

/** Stores a weights file's text under `key`. Throws a readable Error if storage is missing or full. */
export function saveWeightsToStorage(key: string, text: string): void {
  const s = storage();
  if (!s) throw new Error("This browser does not offer local storage here, so the weights cannot be kept; download the file instead.");
  try {
    s.setItem(STORAGE_PREFIX + key, text);
  } catch (e) {
    throw new Error(`The browser refused to store ${(text.length / 1024).toFixed(0)} KB of weights (${e instanceof Error ? e.message : String(e)}); download the file instead.`);
  }
}

/** The weights file text stored under `key`, or null if there is none (or no storage). */
export function loadWeightsFromStorage(key: string): string | null {
  return storage()?.getItem(STORAGE_PREFIX + key) ?? null;
}
