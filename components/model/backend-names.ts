// The TensorFlow.js backends by name, apart from backend.ts so that pages and the worker protocol can
// name a backend without loading tfjs.

/** A backend tfjs can run on. */
export type BackendName = "webgpu" | "webgl" | "wasm" | "cpu";

/** Preference order: fastest first on a machine with a GPU. */
export const BACKEND_ORDER: readonly BackendName[] = ["webgpu", "webgl", "wasm", "cpu"];
