// The Overview (/) as a reader meets it: the loop plays at once and can be paused with the mouse or
// the keyboard, stays still for a reader who prefers reduced motion (until they press Play), keeps
// the canvas's text alternative current, loads no heavy library, and maps exactly the written chapters.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import type {Page} from "playwright-core";
import {CHAPTERS} from "../../components/page/chapters.js";
import {builtPages, changed, usePage, useSite} from "./harness.js";

/** A cheap fingerprint of the loop's canvas pixels (alpha channel), to tell whether it was redrawn. */
const canvasHash = (page: Page) => page.$eval(".noise-loop canvas", (c) => {
  const canvas = c as HTMLCanvasElement, d = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
  let h = 0;
  for (let i = 3; i < d.length; i += 4) h = (h * 31 + d[i]) | 0;
  return h;
});
const ariaLabel = (page: Page) => page.$eval(".noise-loop canvas", (c) => c.getAttribute("aria-label") ?? "");
const readout = (page: Page) => page.$eval(".noise-loop-readout", (e) => e.textContent?.replace(/\s+/g, " ").trim() ?? "");
const button = (page: Page) => page.$eval(".noise-loop button", (b) => b.textContent?.trim() ?? "");


describe("/ (Overview)", () => {
  const requested: string[] = [];
  const site = usePage("/", {settle: false, ready: async (page) => { page.on("request", (r) => requested.push(r.url())); await page.waitForSelector(".noise-loop canvas[aria-label*='t = ']"); }});

  it("plays at once: the canvas, its aria-label and the t readout change over time", async () => {
    const [hash, label, text] = [await canvasHash(site.v.page), await ariaLabel(site.v.page), await readout(site.v.page)];
    assert.match(text, /^t = \d+ \/ 1000 /);
    assert.notEqual(await changed(() => canvasHash(site.v.page), hash, 3000), hash);
    assert.notEqual(await changed(() => ariaLabel(site.v.page), label, 3000), label);
    assert.match(await ariaLabel(site.v.page), /^2,000 points .* t = \d+ of 1000, signal kept ᾱ = /);
    assert.equal(await button(site.v.page), "❚❚ Pause");
  });

  it("runs both ways: forward noising, then the reverse sampler back to data", async () => {
    await site.v.page.waitForFunction(() => document.querySelector(".noise-loop-direction")?.textContent?.includes("reverse"), null, {timeout: 15_000});
    assert.match(await ariaLabel(site.v.page), /from noise back to the 8-Gaussian ring by DDIM/);
    await site.v.page.waitForFunction(() => document.querySelector(".noise-loop-direction")?.textContent?.includes("back to data"), null, {timeout: 15_000});
    assert.match(await readout(site.v.page), /^t = 0 \/ 1000 /);
  });

  it("the Pause button stops the canvas and the readout; Play resumes them", async () => {
    await site.v.page.click(".noise-loop button");
    assert.equal(await button(site.v.page), "▶ Play");
    await site.v.page.waitForTimeout(100); // a frame already requested may still land
    const [hash, text] = [await canvasHash(site.v.page), await readout(site.v.page)];
    await site.v.page.waitForTimeout(1500);
    assert.equal(await canvasHash(site.v.page), hash, "canvas changed while paused");
    assert.equal(await readout(site.v.page), text, "readout changed while paused");
    await site.v.page.click(".noise-loop button");
    assert.equal(await button(site.v.page), "❚❚ Pause");
    await changed(() => canvasHash(site.v.page), hash, 3000);
  });

  it("stays paused when the window is resized (the view is rebuilt at the new width)", async () => {
    await site.v.page.click(".noise-loop button");
    const width = await site.v.page.$eval(".noise-loop canvas", (c) => c.clientWidth);
    await site.v.page.setViewportSize({width: 900, height: 900});
    await site.v.page.waitForFunction((w) => document.querySelector(".noise-loop canvas")!.clientWidth !== w, width);
    await site.v.page.waitForTimeout(200);
    assert.equal(await button(site.v.page), "▶ Play");
    const hash = await canvasHash(site.v.page);
    await site.v.page.waitForTimeout(1000);
    assert.equal(await canvasHash(site.v.page), hash, "the rebuilt view plays although the reader paused");
    await site.v.page.click(".noise-loop button");
    await site.v.page.setViewportSize({width: 1280, height: 900});
    await site.v.page.waitForFunction((w) => document.querySelector(".noise-loop canvas")!.clientWidth === w, width);
    assert.equal(await button(site.v.page), "❚❚ Pause");
  });

  it("pauses and plays from the keyboard alone (Tab to the button, Space)", async () => {
    await site.v.page.focus(".noise-loop button");
    assert.equal(await site.v.page.evaluate(() => document.activeElement?.closest(".noise-loop") !== null), true);
    await site.v.page.keyboard.press("Space");
    assert.equal(await button(site.v.page), "▶ Play");
    await site.v.page.keyboard.press("Enter");
    assert.equal(await button(site.v.page), "❚❚ Pause");
  });

  it("lists in its chapter map exactly the chapters whose pages were built, in reading order", async () => {
    const pages = new Set(builtPages());
    const expected = CHAPTERS.filter((c) => c.path !== "/" && pages.has(c.path)).map((c) => c.path);
    const listed = await site.v.page.$$eval(".chapter-map a", (as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
    assert.deepEqual(listed, expected,
      "the map differs from dist/: if a page was added, data/chapters.json may be a stale cache (delete src/.observablehq/cache/data/chapters.json)");
    const coming = await site.v.page.$eval(".coming", (p) => p.textContent ?? "").catch(() => "");
    for (const c of CHAPTERS.filter((c) => !pages.has(c.path))) assert.ok(coming.includes(c.title), `"${c.title}" not listed as still being written`);
    for (const path of listed) assert.equal((await site.v.page.request.get(site.origin + path)).status(), 200, path);
  });

  it("loads light: neither TensorFlow.js nor KaTeX is requested", async () => {
    const heavy = requested.filter((u) => /tfjs|katex/i.test(u));
    assert.deepEqual(heavy, []);
  });

  it("shows no error cell, console error or off-site request", async () => {
    assert.deepEqual(await site.v.problems(), []);
  });
});

describe("/ (Overview) for a reader who prefers reduced motion", () => {
  const site = useSite();

  it("shows the data but does not animate until Play is pressed", async () => {
    const context = await site.browser.newContext({reducedMotion: "reduce", viewport: {width: 390, height: 844}});
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    await page.goto(site.origin + "/");
    await page.waitForSelector(".noise-loop canvas[aria-label*='t = 0 of 1000']");
    assert.equal(await button(page), "▶ Play");
    const [hash, label] = [await canvasHash(page), await ariaLabel(page)];
    assert.notEqual(hash, 0, "the first frame was not drawn");
    await page.waitForTimeout(2000);
    assert.equal(await canvasHash(page), hash, "the canvas moved on its own");
    assert.equal(await ariaLabel(page), label);
    await page.click(".noise-loop button");
    await changed(() => canvasHash(page), hash, 3000);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
