// Choosing where tfjs runs: WebGPU, then WebGL, then WASM, then CPU — the first that initialises and
// computes a small matmul + ReLU correctly. In Node only the CPU backend can run.
import * as tf from "../vendor/tfjs.js";
import {BACKEND_ORDER, type BackendName} from "./backend-names.js";

/** Whether this is a browser page (or worker) rather than Node. */
export function inBrowser(): boolean {
  const g = globalThis as {document?: unknown; importScripts?: unknown; process?: {versions?: {node?: string}}};
  return (g.document !== undefined || typeof g.importScripts === "function") && !g.process?.versions?.node;
}

/**
 * Backends that could run here, in preference order: registered with tfjs and possible in this
 * environment. In Node that is only "cpu" (the bundle's wasm loader and the GPU backends need a browser).
 */
export function availableBackends(): BackendName[] {
  const registered = tf.engine().registryFactory;
  const browser = inBrowser();
  const gpu = (globalThis as {navigator?: {gpu?: unknown}}).navigator?.gpu;
  return BACKEND_ORDER.filter((name) => name in registered && (name === "cpu" || (browser && (name !== "webgpu" || gpu !== undefined))));
}

/**
 * Tells the wasm backend where its binaries are (URLs from `import.meta.resolve` or
 * `FileAttachment(...).href`; files in src/ that nothing references are not copied to dist/).
 * Call before initBackend. `urls`: a prefix ending in "/", or one URL per binary name.
 */
export function setWasmBinaryPaths(urls: string | Partial<Record<"tfjs-backend-wasm.wasm" | "tfjs-backend-wasm-simd.wasm" | "tfjs-backend-wasm-threaded-simd.wasm", string>>): void {
  tf.setWasmPaths(urls as Parameters<typeof tf.setWasmPaths>[0]);
}

/**
 * Runs a 4×3 by 3×5 matmul, adds a bias, applies ReLU and gathers two rows on the current backend,
 * and compares with the same computed in JS. Resolves to null when they agree to 1e-4, or to a
 * description of the mismatch.
 */
export async function selfCheck(): Promise<string | null> {
  const a = [0.5, -1.25, 2, 3, 0.75, -0.5, -2, 1.5, 0.25, 1, -1, 1.75];
  const b = [1, -0.5, 0.25, 2, -1.5, 0.5, 1.5, -1, 0.75, 0.25, -0.25, 1, 2, -2, 0.5];
  const bias = [0.1, -0.2, 0.3, -0.4, 0.5];
  const rows = [3, 1];
  const expected: number[] = [];
  for (const i of rows) for (let j = 0; j < 5; ++j) {
    let s = bias[j];
    for (let k = 0; k < 3; ++k) s += a[i * 3 + k] * b[k * 5 + j];
    expected.push(Math.max(0, s));
  }
  const out = tf.tidy(() => tf.gather(tf.relu(tf.add(tf.matMul(tf.tensor2d(a, [4, 3]), tf.tensor2d(b, [3, 5])), tf.tensor1d(bias))), tf.tensor1d(rows, "int32")));
  try {
    const got = await out.data();
    for (let i = 0; i < expected.length; ++i) {
      if (!(Math.abs(got[i] - expected[i]) <= 1e-4 * (1 + Math.abs(expected[i])))) return `element ${i} is ${got[i]}, expected ${expected[i]}`;
    }
    return null;
  } finally {
    out.dispose();
  }
}

/**
 * Whether WebGL here is drawn by a software renderer (SwiftShader, llvmpipe, Microsoft Basic Render):
 * then tfjs's WebGL backend runs on the CPU through a GPU emulator, and the wasm backend is 2–5×
 * faster (npm run bench, training and sampling sections). False when it cannot tell.
 */
export function softwareWebGL(): boolean {
  try {
    const canvas: OffscreenCanvas | HTMLCanvasElement | null = typeof OffscreenCanvas !== "undefined" ? new OffscreenCanvas(1, 1)
      : typeof document !== "undefined" ? document.createElement("canvas") : null;
    const gl = canvas?.getContext("webgl2") as WebGL2RenderingContext | null;
    if (!gl) return false;
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension("WEBGL_lose_context")?.loseContext();
    return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer);
  } catch {
    return false;
  }
}

export interface InitOptions {
  /** Backends not to try (e.g. one whose context was just lost). */
  exclude?: readonly BackendName[];
  /** Give up on a backend whose initialisation takes longer than this (ms, default 10000). */
  timeoutMs?: number;
  /** Told about every backend that was tried and skipped, with the reason. */
  onSkip?: (name: BackendName, reason: string) => void;
}

/**
 * Activates the first backend, `preferred` first and then BACKEND_ORDER, that initialises and passes
 * `selfCheck`. Resolves to its name. Only throws if none works (the CPU backend always should).
 */
export async function initBackend(preferred?: BackendName, {exclude = [], timeoutMs = 10000, onSkip}: InitOptions = {}): Promise<BackendName> {
  const available = availableBackends();
  // With no GPU (a software renderer behind WebGL/WebGPU), wasm goes first: it is the fastest there.
  const natural: readonly BackendName[] = inBrowser() && softwareWebGL() ? ["wasm", "webgl", "webgpu", "cpu"] : BACKEND_ORDER;
  const order = preferred ? [preferred, ...natural.filter((n) => n !== preferred)] : [...natural];
  const reasons: string[] = [];
  const skip = (name: BackendName, reason: string) => {
    reasons.push(`${name}: ${reason}`);
    onSkip?.(name, reason);
  };
  for (const name of order) {
    if (exclude.includes(name)) { skip(name, "excluded"); continue; }
    if (!available.includes(name)) { skip(name, "not available here"); continue; }
    try {
      const ok = await withTimeout(tf.setBackend(name), timeoutMs, `did not initialise within ${timeoutMs} ms`);
      if (!ok) { skip(name, "failed to initialise"); continue; }
      await tf.ready();
      const problem = await selfCheck();
      if (problem) { skip(name, `self-check failed (${problem})`); continue; }
      return name;
    } catch (e) {
      skip(name, e instanceof Error ? e.message : String(e));
    }
  }
  throw new Error(`No TensorFlow.js backend works here. ${reasons.join("; ")}`);
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(message)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** What `onBackendLost` reports. */
export interface BackendLoss {
  backend: BackendName;
  reason: string;
}

/**
 * Calls `callback` once if the current backend's GPU context goes away: "webglcontextlost" on the
 * WebGL backend's canvas, or the WebGPU device's `lost` promise. Returns a function that unsubscribes.
 * On wasm and cpu there is nothing to lose and the callback is never called.
 * Recovery: `await initBackend(undefined, {exclude: [loss.backend]}); trainer.rebuild();`.
 */
export function onBackendLost(callback: (loss: BackendLoss) => void): () => void {
  const name = tf.getBackend() as BackendName;
  const backend = tf.backend() as unknown as {
    gpgpu?: {gl?: {canvas?: EventTarget}};
    device?: {lost?: Promise<{message?: string; reason?: string}>};
  };
  let active = true;
  const fire = (reason: string) => {
    if (!active) return;
    active = false;
    callback({backend: name, reason});
  };
  if (name === "webgl") {
    const canvas = backend.gpgpu?.gl?.canvas;
    if (!canvas || typeof canvas.addEventListener !== "function") return () => { active = false; };
    const listener = (event: Event) => {
      event.preventDefault(); // lets the browser restore the context later
      fire("the WebGL context was lost");
    };
    canvas.addEventListener("webglcontextlost", listener);
    return () => {
      active = false;
      canvas.removeEventListener("webglcontextlost", listener);
    };
  }
  if (name === "webgpu" && backend.device?.lost) {
    backend.device.lost.then((info) => fire(`the WebGPU device was lost${info?.message ? `: ${info.message}` : ""}`));
  }
  return () => { active = false; };
}
