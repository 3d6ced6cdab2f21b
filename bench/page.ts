// For sections that drive the site's own modules rather than a chapter's UI: a blank page on the
// served origin (so the built modules, the wasm binaries and the shipped weights load as they do for
// a reader) and the hashed URLs of the built component modules, read from the snapshot directory.
import {readdir} from "node:fs/promises";
import {join} from "node:path";
import type {Page} from "playwright-core";
import type {BenchContext} from "./section.js";

/** Built component modules by source path under components/ ("model/trainer", "samplers/index", "vendor/tfjs") → URL path. */
export type Modules = Record<string, string>;

/**
 * The built component modules of the site in `site`: dist/_import/components/<name>.<hash>.js, in
 * sub-folders too. Their relative imports point at each other's hashed names, so importing one of
 * them in a page shares module instances (one tfjs engine) with every other.
 */
export async function componentModules(site: string): Promise<Modules> {
  const root = join(site, "_import/components");
  const modules: Modules = {};
  for (const entry of await readdir(root, {recursive: true})) {
    const match = /^(.+)\.[0-9a-f]{8}\.js$/.exec(entry.split("\\").join("/"));
    if (match) modules[match[1]] = `/_import/components/${match[0]}`;
  }
  return modules;
}

/** URL path of a file attachment of the built site, e.g. fileAttachment(site, "data", "model.json") → "/_file/data/model.<hash>.json". */
export async function fileAttachment(site: string, folder: string, name: string): Promise<string> {
  const dot = name.lastIndexOf(".");
  const pattern = new RegExp(`^${name.slice(0, dot)}\\.[0-9a-f]{8}${name.slice(dot).replace(".", "\\.")}$`);
  const found = (await readdir(join(site, "_file", folder))).find((f) => pattern.test(f));
  if (!found) throw new Error(`no built file for ${folder}/${name} in ${site}/_file/${folder}`);
  return `/_file/${folder}/${found}`;
}

export interface BenchPage {
  page: Page;
  /** Uncaught errors and console errors so far, one line each. */
  problems(): string[];
  close(): Promise<void>;
}

const BLANK = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>bench</title></head><body></body></html>";

/**
 * A fresh browser context showing an empty page at `${origin}/__bench`, served with the same
 * cross-origin isolation headers as the site (so tfjs may pick the same wasm build it picks for a
 * reader) and with nothing else running in it. tsx compiles named functions into __name(fn, "fn")
 * calls, which page.evaluate carries into the page, so a stand-in __name is installed.
 */
export async function blankPage({browser, origin}: BenchContext): Promise<BenchPage> {
  const context = await browser.newContext();
  const seen: string[] = [];
  await context.route(`${origin}/__bench`, (route) => route.fulfill({
    status: 200,
    headers: {"content-type": "text/html; charset=utf-8", "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp"},
    body: BLANK,
  }));
  const page = await context.newPage();
  page.on("pageerror", (error) => seen.push(`uncaught: ${error.message}`));
  page.on("console", (message) => { if (message.type() === "error") seen.push(`console error: ${message.text()}`); });
  await page.goto(`${origin}/__bench`);
  await page.evaluate("globalThis.__name = (f) => f");
  return {page, problems: () => [...seen], close: () => context.close()};
}

/** What `useBackend` found: the backend in use, or why the one asked for is not. */
export interface BackendStatus {
  /** The backend asked for is active. */
  ok: boolean;
  /** Why not (initialisation failed, self-check failed, not available here). */
  reason: string;
  /** What runs underneath: the wasm build ("SIMD, 1 thread"), or the WebGL / WebGPU adapter ("SwiftShader (CPU)"). */
  variant: string;
  /** Whether the page is cross-origin isolated (needed for the threaded wasm build). */
  isolated: boolean;
}

/**
 * Activates `backend` in the page with the site's own initBackend (same wasm binaries, same
 * self-check). initBackend falls back to the next backend when the one asked for fails; that is
 * reported here as not ok, with initBackend's reason.
 */
export function useBackend(page: Page, modules: Modules, backend: string): Promise<BackendStatus> {
  return page.evaluate(async ({modules, backend}) => {
    const tf: typeof import("../components/vendor/tfjs.js") = await import(modules["vendor/tfjs"]);
    const b: typeof import("../components/model/backend.js") = await import(modules["model/backend"]);
    const {WASM_PATHS}: typeof import("../components/model/wasm-paths.js") = await import(modules["model/wasm-paths"]);
    b.setWasmBinaryPaths(WASM_PATHS);
    const skipped: Record<string, string> = {};
    const isolated = globalThis.crossOriginIsolated === true;
    let got: string;
    try {
      got = await b.initBackend(backend as Parameters<typeof b.initBackend>[0], {timeoutMs: 20_000, onSkip: (name, reason) => { skipped[name] = reason; }});
    } catch (e) {
      return {ok: false, reason: e instanceof Error ? e.message : String(e), variant: "", isolated};
    }
    if (got !== backend) return {ok: false, reason: skipped[backend] ?? `initBackend chose ${got}`, variant: "", isolated};
    let variant = "";
    if (backend === "wasm") {
      const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
      const threads = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
      variant = `${simd ? "SIMD" : "no SIMD"}${threads ? ", threaded build" : ""}, ${tf.getThreadsCount()} thread${tf.getThreadsCount() === 1 ? "" : "s"}`;
    } else if (backend === "webgl") {
      // The renderer behind WebGL: here ANGLE on SwiftShader, a CPU rasteriser.
      const gl = document.createElement("canvas").getContext("webgl2");
      const info = gl?.getExtension("WEBGL_debug_renderer_info");
      const renderer = String(info ? gl!.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl?.getParameter(gl.RENDERER) ?? "");
      variant = /swiftshader/i.test(renderer) ? "SwiftShader (CPU)" : renderer.slice(0, 40);
    } else if (backend === "webgpu") {
      const gpu = (navigator as unknown as {gpu?: {requestAdapter(): Promise<{info?: {vendor?: string; architecture?: string; description?: string}} | null>}}).gpu;
      const info = (await gpu?.requestAdapter())?.info;
      const name = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(" ");
      variant = /swiftshader/i.test(name) ? "SwiftShader (CPU)" : name.slice(0, 40);
    }
    return {ok: true, reason: "", variant, isolated};
  }, {modules, backend});
}

/** Backends a section measures, wasm first (the others are compared with it). */
export const BACKENDS = ["wasm", "webgl", "cpu", "webgpu"] as const;

/**
 * Why a section does not measure `backend` in this run, or null: WebGPU is measured only when
 * Chromium was launched for it (BENCH_WEBGPU=1), as on SwiftShader it is ~50× slower than wasm.
 */
export function notMeasured({webgpu}: BenchContext, backend: string): string | null {
  return backend === "webgpu" && !webgpu ? "not measured: WebGPU runs on SwiftShader here (~0.5 steps/s); set BENCH_WEBGPU=1 to include it" : null;
}
