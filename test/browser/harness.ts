// Opens pages of the built site as a reader would and records everything that went wrong:
// console errors, uncaught exceptions, failed or 4xx/5xx requests, any request that leaves the
// site (blocked, then reported), and Framework error cells.
import type {Browser, Page} from "playwright-core";

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
  {viewport = {width: 1280, height: 900}, settle = true} = {},
): Promise<Visit> {
  const context = await browser.newContext({viewport});
  const page = await context.newPage();
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
