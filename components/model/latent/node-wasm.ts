// The site's wasm backend in Node (the same binary a reader's browser runs, SIMD, one thread), for
// build-time training, unit tests and recipe sweeps: 3–5× faster than tfjs's cpu backend here, and
// the same numbers as in Chromium. The bundle's emscripten loader looks for browser globals and
// fetches its binary by URL, so both are provided. Node only; pages never import this.
import {readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import * as tf from "../../vendor/tfjs.js";

let ready: Promise<void> | null = null;

/** Activates tfjs's wasm backend in Node (once; later calls share the first). */
export function useNodeWasm(): Promise<void> {
  ready ??= (async () => {
    const dir = fileURLToPath(new URL("../../../node_modules/@tensorflow/tfjs-backend-wasm/dist/", import.meta.url));
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (url: string | URL | Request, init?: RequestInit) => {
      const s = String(url);
      return s.startsWith(dir) ? new Response(readFileSync(s), {headers: {"content-type": "application/wasm"}}) : realFetch(url, init);
    }) as typeof fetch;
    const g = globalThis as Record<string, unknown>;
    g.window ??= globalThis;
    g.__dirname ??= "/";
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    tf.setWasmPaths(dir);
    if (!(await tf.setBackend("wasm"))) throw new Error("the wasm backend did not initialise in Node");
    await tf.ready();
  })();
  return ready;
}
