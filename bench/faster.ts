// /faster as a reader runs it: press Train live and let the worker train every student and sample
// every method; measured are the main thread's frame times meanwhile, the wall time of each training
// round, and the wall ms of 2,000 samples per method and NFE, as the page shows them (its rounds table
// and its quality-against-wall-time chart, whose marks carry NFE and ms).
import type {Page} from "playwright-core";
import {visit} from "../test/browser/harness.js";
import type {BenchContext, Row, Section} from "./section.js";
import {countAbove, round, summarise} from "./stats.js";

/** The full run took 2–4 minutes on wasm on a loaded 2-core machine. */
const TIMEOUT_MS = 15 * 60_000;

export const faster: Section = {
  name: "faster",
  about: "/faster's live run: seconds to train each student in the worker, ms per 2,000 samples of every method at each NFE, and main-thread frame times while it trains",
  async run({browser, origin}: BenchContext): Promise<Row[]> {
    const v = await visit(browser, origin, "/faster", {settle: false});
    try {
      await v.page.getByRole("button", {name: "Train live"}).waitFor();
      // As a string: tsx would wrap the named closures of a function in a helper the page lacks.
      await v.page.evaluate(`(() => {
        const frames = (globalThis.benchFrames = []);
        let last = performance.now();
        const tick = (now) => { frames.push(now - last); last = now; requestAnimationFrame(tick); };
        requestAnimationFrame(tick);
      })()`);
      // Five seconds of the page alone first: on a loaded machine the idle page's frames are the baseline.
      await v.page.waitForTimeout(5000);
      const idle = summarise(await v.page.evaluate(() => (globalThis as unknown as {benchFrames: number[]}).benchFrames.splice(0).slice(10)));
      await v.page.getByRole("button", {name: "Train live"}).click();
      // A reader who pressed Train live watches the loss chart: it is on screen while the run goes on.
      await v.page.locator(".faster-rounds").scrollIntoViewIfNeeded();
      const tensors = await watchTensors(v.page);
      const status = await v.page.$eval(".faster-status", (e) => e.textContent ?? "");
      if (!status.includes("finished")) throw new Error(status);
      const backend = status.match(/on (\w+)/)?.[1] ?? "?";
      const intervals = await v.page.evaluate(() => (globalThis as unknown as {benchFrames: number[]}).benchFrames);
      const frames = summarise(intervals);
      const rounds = await v.page.$$eval(".faster-rounds tbody tr", (rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent ?? "")));
      const marks = await v.page.$$eval(".quality-panels .card:last-child .series", (series) => series.flatMap((g) =>
        [...g.querySelectorAll("path.mark")].map((m) => [g.getAttribute("data-series"), Number(m.getAttribute("data-steps")), Number(m.getAttribute("data-nfe"))] as const)));
      return [
        {what: "main-thread frames, page idle", detail: "5 s before Train live", backend, value: `median ${round(idle.median)} · p95 ${round(idle.p95)} · max ${round(idle.max)}`, unit: "ms"},
        {what: "main-thread frames while training", detail: `${intervals.length} frames, ${countAbove(intervals, 20)} over 20 ms`, backend, value: `median ${round(frames.median)} · p95 ${round(frames.p95)} · max ${round(frames.max)}`, unit: "ms"},
        {what: "worker tensors within each round", detail: "status line, twice a second", backend, value: `flat in ${[...tensors.values()].filter(([lo, hi]) => lo === hi).length} of ${tensors.size}: ${[...tensors.values()].map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}–${hi}`)).join(" · ")}`, unit: "tf.memory().numTensors"},
        ...rounds.map((cells) => ({what: `train ${cells.at(-4)}`, detail: cells.at(-3) ?? "", backend, value: Number(cells.at(-1)), unit: "s"})),
        ...marks.map(([key, nfe, ms]) => ({what: `sample ${key}`, detail: `NFE ${nfe}`, backend, value: round(ms), unit: "ms / 2,000"})),
      ];
    } finally {
      await v.close();
    }
  },
};

/**
 * Waits for the run to end, reading the status line twice a second meanwhile: the worker's tensor
 * count (reported with every chunk) per round, as [lowest, highest]. Flat means equal.
 */
async function watchTensors(page: Page): Promise<Map<string, [number, number]>> {
  const seen = new Map<string, [number, number]>(), start = Date.now();
  for (;;) {
    const status = await page.$eval(".faster-status", (e) => e.textContent ?? "");
    if (/Live run finished|stopped/.test(status)) return seen;
    const match = status.match(/^Training (.+): step \d+ .* (\d+) tensors$/);
    if (match) {
      const [lo, hi] = seen.get(match[1]) ?? [Infinity, -Infinity], n = Number(match[2]);
      seen.set(match[1], [Math.min(lo, n), Math.max(hi, n)]);
    }
    if (Date.now() - start > TIMEOUT_MS) throw new Error(`the run did not end in ${TIMEOUT_MS / 60_000} min: ${status}`);
    await page.waitForTimeout(500);
  }
}
