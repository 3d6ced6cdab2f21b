// Models run in the training worker: the chapters that use one (/score, /sampling, /training) must
// not load the TensorFlow.js bundle on their main thread. TensorFlow.js keeps its engine on the
// global object of the thread that evaluated it (globalThis._tfengine, made when the bundle is
// imported), so the page's global says whether the main thread ran tfjs, and the worker's global
// shows the test looks in the right place: the model's worker has it.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import type {Page} from "playwright-core";
import {useSite, visit} from "./harness.js";

const TFJS = /\/vendor\/tfjs\.[0-9a-f]+\.js$/;
const hasEngine = () => "_tfengine" in globalThis;

/** Resolves once one of the page's workers has evaluated tfjs; throws after `timeout` ms. */
async function workerRanTfjs(page: Page, timeout = 60_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    for (const worker of page.workers()) if (await worker.evaluate(hasEngine).catch(() => false)) return;
    if (Date.now() - start > timeout) throw new Error(`no worker evaluated tfjs within ${timeout} ms (${page.workers().length} workers)`);
    await page.waitForTimeout(250);
  }
}

describe("tfjs stays off the main thread", () => {
  const site = useSite();

  // /sampling starts its network only when asked: the trained denoiser in the URL asks at once.
  for (const path of ["/score", "/sampling?denoiser=trained", "/training"]) {
    it(`${path.split("?")[0]} neither preloads nor evaluates tfjs on the main thread, while its model's worker runs it`, async () => {
      const v = await visit(site.browser, site.origin, path);
      try {
        await workerRanTfjs(v.page);
        assert.equal(await v.page.evaluate(hasEngine), false, "the page's main thread evaluated tfjs");
        const scripts = await v.page.$$eval("link[rel=modulepreload], script[src]", (els) => els.map((e) => (e as HTMLLinkElement).href || (e as HTMLScriptElement).src));
        assert.ok(scripts.length > 0, "the page lists no module at all");
        assert.deepEqual(scripts.filter((url) => TFJS.test(url)), []);
      } finally {
        await v.close();
      }
    });
  }
});
