// Runs the site's tfjs wasm binary (SIMD, one thread) in Node, as a measuring and testing device:
// the bundle's emscripten loader looks for browser globals and fetches the binary by path, so both
// are provided. The site itself never does this. Call before the first tfjs backend is set.
import {readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";

/** Directory of the wasm binaries in node_modules. */
export const WASM_DIR = fileURLToPath(new URL("../node_modules/@tensorflow/tfjs-backend-wasm/dist/", import.meta.url));

/** Gives the bundle's wasm loader what it looks for in Node; returns the directory to pass to tf.setWasmPaths. */
export function prepareNodeWasm(): string {
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    const s = String(url);
    if (s.startsWith("/")) return new Response(readFileSync(s), {headers: {"content-type": "application/wasm"}});
    return realFetch(url, init);
  }) as typeof fetch;
  const g = globalThis as Record<string, unknown>;
  g.window ??= globalThis;
  g.__dirname ??= "/";
  return WASM_DIR;
}
