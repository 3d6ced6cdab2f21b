// Opens pages of the built site as a reader would and records everything that went wrong:
// console errors, uncaught exceptions, failed or 4xx/5xx requests, any request that leaves the
// site (blocked, then reported), and Framework error cells.
import {after, before} from "node:test";
import {readdirSync} from "node:fs";
import type {Server} from "node:http";
import type {Browser, Page} from "playwright-core";
import {launchChromium} from "./chromium.js";
import {serve} from "./serve.js";

/**
 * A style sheet that renders every part of a page, including those it lets skip rendering off screen
 * (content-visibility, on /faster): for checks and full-page screenshots that must see them all.
 */
export const RENDER_EVERYTHING = "#observablehq-main > * {content-visibility: visible !important; contain: none !important}";

export interface Visit {
  page: Page;
  /** Everything wrong so far, one line each (empty when the page is clean). */
  problems(): Promise<string[]>;
  close(): Promise<void>;
}

export async function visit(
  browser: Browser,
  origin: string,
  path: string,
  {viewport = {width: 1280, height: 900}, settle = true, beforeLoad}: {
    viewport?: {width: number; height: number};
    settle?: boolean;
    /** Runs on the fresh page before it loads (e.g. page.addInitScript). */
    beforeLoad?: (page: Page) => Promise<unknown>;
  } = {},
): Promise<Visit> {
  const context = await browser.newContext({viewport});
  const page = await context.newPage();
  await beforeLoad?.(page);
  const seen: string[] = [];
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
    seen.push(`request leaves the site: ${url}`);
    return route.abort();
  });
  page.on("console", (message) => {
    if (message.type() === "error") seen.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => seen.push(`uncaught: ${error.message}`));
  page.on("requestfailed", (request) => {
    if (request.url().startsWith(origin)) seen.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) seen.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(origin + path, {waitUntil: settle ? "networkidle" : "load"});
  return {
    page,
    async problems() {
      const errors = await page.$$eval(".observablehq--error", (cells) => cells.map((c) => c.textContent ?? ""));
      return [...seen, ...errors.map((e) => `error cell: ${e}`)];
    },
    close: () => context.close(),
  };
}

/** Resolves when `read()` returns something other than `before`, or throws after `timeout` ms. */
export async function changed<T>(read: () => Promise<T>, before: T, timeout = 10_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const now = await read();
    if (JSON.stringify(now) !== JSON.stringify(before)) return now;
    if (Date.now() - start > timeout) throw new Error(`value stayed ${JSON.stringify(before)} for ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Site {
  browser: Browser;
  origin: string;
}

/**
 * Serves dist/ and launches Chromium before the enclosing suite's tests, and closes both after.
 * The returned object's fields are filled in by the `before` hook.
 */
export function useSite(): Site {
  const site = {} as Site & {server?: Server};
  before(async () => {
    const {server, origin} = await serve();
    Object.assign(site, {server, origin, browser: await launchChromium()});
  });
  after(async () => {
    await site.browser?.close();
    site.server?.close();
  });
  return site;
}

/** useSite, plus `path` opened (and `ready` awaited) before the suite's tests; `v` is the visit. */
export function usePage(path: string, {ready, ...options}: {ready?: (page: Page) => Promise<unknown>} & Parameters<typeof visit>[3] = {}): Site & {v: Visit} {
  const site = useSite() as Site & {v: Visit};
  before(async () => {
    site.v = await visit(site.browser, site.origin, path, options);
    await ready?.(site.v.page);
  });
  after(async () => { await site.v?.close(); });
  return site;
}

/** A cheap fingerprint of each matching canvas's pixels, to tell that a redraw changed the picture. */
export function canvasHashes(page: Page, selector: string): Promise<number[]> {
  return page.$$eval(selector, (canvases) => canvases.map((c) => {
    const canvas = c as HTMLCanvasElement;
    const d = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
    let h = 0;
    for (let i = 0; i < d.length; i += 4) h = (h * 31 + d[i] + 7 * d[i + 3]) | 0;
    return h;
  }));
}

/** The routes dist/ holds a page for ("/" for index.html), in file-name order. */
export function builtPages(root = "dist"): string[] {
  return readdirSync(root).filter((f) => f.endsWith(".html")).map((f) => (f === "index.html" ? "/" : `/${f.slice(0, -5)}`));
}

/**
 * Wraps EventTarget's add/removeEventListener (before any page script runs) so a test can count the
 * listeners that are still attached: a cell that re-runs and adds one each time shows up as a count
 * that grows. Pass as `beforeLoad`; read with `liveListeners`.
 */
export async function trackListeners(page: Page): Promise<void> {
  // A string, not a function: tsx's transform would add helpers the page does not have.
  await page.addInitScript(`{
    const live = new WeakMap();
    const slot = (target, type, options) => {
      const key = type + ((typeof options === "boolean" ? options : options?.capture) ? " capture" : "");
      if (!live.has(target)) live.set(target, new Map());
      const byType = live.get(target);
      if (!byType.has(key)) byType.set(key, new Set());
      return byType.get(key);
    };
    const {addEventListener: add, removeEventListener: remove} = EventTarget.prototype;
    EventTarget.prototype.addEventListener = function (type, listener, options) {
      if (listener) slot(this, type, options).add(listener);
      return add.call(this, type, listener, options);
    };
    EventTarget.prototype.removeEventListener = function (type, listener, options) {
      if (listener) slot(this, type, options).delete(listener);
      return remove.call(this, type, listener, options);
    };
    window.liveListeners = (target, prefix) =>
      [...(live.get(target) ?? [])].filter(([type]) => type.startsWith(prefix)).reduce((n, [, s]) => n + s.size, 0);
  }`);
}

/** Live listeners whose event type starts with `prefix`, summed over the elements `selector` matches now. */
export function liveListeners(page: Page, selector: string, prefix: string): Promise<number> {
  return page.$$eval(selector, (elements, prefix) => elements.reduce((n, e) =>
    n + (window as unknown as {liveListeners(t: EventTarget, p: string): number}).liveListeners(e, prefix), 0), prefix);
}
