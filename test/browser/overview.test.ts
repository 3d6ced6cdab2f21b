// The Overview (/) as a reader meets it: the loop plays at once and can be paused with the mouse or
// the keyboard, stays still for a reader who prefers reduced motion (until they press Play), keeps
// the canvas's text alternative current, loads no heavy library, and maps exactly the written chapters.
import {after, before, describe, it} from "node:test";
import assert from "node:assert/strict";
import {readdirSync} from "node:fs";
import type {Browser, Page} from "playwright-core";
import type {Server} from "node:http";
import {CHAPTERS} from "../../components/chapters.js";
import {launchChromium} from "./chromium.js";
import {serve} from "./serve.js";
import {changed, visit, type Visit} from "./harness.js";

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

/** The routes dist/ holds a page for, "/" for index.html. */
const built = () => readdirSync("dist").filter((f) => f.endsWith(".html")).map((f) => (f === "index.html" ? "/" : `/${f.slice(0, -5)}`));

describe("/ (Overview)", () => {
  let browser: Browser, server: Server, origin: string, v: Visit;
  const requested: string[] = [];
  before(async () => {
    ({server, origin} = await serve());
    browser = await launchChromium();
    v = await visit(browser, origin, "/", {settle: false});
    v.page.on("request", (r) => requested.push(r.url()));
    await v.page.waitForSelector(".noise-loop canvas[aria-label*='t = ']");
  });
  after(async () => { await v?.close(); await browser?.close(); server?.close(); });

  it("plays at once: the canvas, its aria-label and the t readout change over time", async () => {
    const [hash, label, text] = [await canvasHash(v.page), await ariaLabel(v.page), await readout(v.page)];
    assert.match(text, /^t = \d+ \/ 1000 /);
    assert.notEqual(await changed(() => canvasHash(v.page), hash, 3000), hash);
    assert.notEqual(await changed(() => ariaLabel(v.page), label, 3000), label);
    assert.match(await ariaLabel(v.page), /^2,000 points .* t = \d+ of 1000, signal kept ᾱ = /);
    assert.equal(await button(v.page), "❚❚ Pause");
  });

  it("runs both ways: forward noising, then the reverse sampler back to data", async () => {
    await v.page.waitForFunction(() => document.querySelector(".noise-loop-direction")?.textContent?.includes("reverse"), null, {timeout: 15_000});
    assert.match(await ariaLabel(v.page), /from noise back to the 8-Gaussian ring by DDIM/);
    await v.page.waitForFunction(() => document.querySelector(".noise-loop-direction")?.textContent?.includes("back to data"), null, {timeout: 15_000});
    assert.match(await readout(v.page), /^t = 0 \/ 1000 /);
  });

  it("the Pause button stops the canvas and the readout; Play resumes them", async () => {
    await v.page.click(".noise-loop button");
    assert.equal(await button(v.page), "▶ Play");
    await v.page.waitForTimeout(100); // a frame already requested may still land
    const [hash, text] = [await canvasHash(v.page), await readout(v.page)];
    await v.page.waitForTimeout(1500);
    assert.equal(await canvasHash(v.page), hash, "canvas changed while paused");
    assert.equal(await readout(v.page), text, "readout changed while paused");
    await v.page.click(".noise-loop button");
    assert.equal(await button(v.page), "❚❚ Pause");
    await changed(() => canvasHash(v.page), hash, 3000);
  });

  it("stays paused when the window is resized (the view is rebuilt at the new width)", async () => {
    await v.page.click(".noise-loop button");
    const width = await v.page.$eval(".noise-loop canvas", (c) => c.clientWidth);
    await v.page.setViewportSize({width: 900, height: 900});
    await v.page.waitForFunction((w) => document.querySelector(".noise-loop canvas")!.clientWidth !== w, width);
    await v.page.waitForTimeout(200);
    assert.equal(await button(v.page), "▶ Play");
    const hash = await canvasHash(v.page);
    await v.page.waitForTimeout(1000);
    assert.equal(await canvasHash(v.page), hash, "the rebuilt view plays although the reader paused");
    await v.page.click(".noise-loop button");
    await v.page.setViewportSize({width: 1280, height: 900});
    await v.page.waitForFunction((w) => document.querySelector(".noise-loop canvas")!.clientWidth === w, width);
    assert.equal(await button(v.page), "❚❚ Pause");
  });

  it("pauses and plays from the keyboard alone (Tab to the button, Space)", async () => {
    await v.page.focus(".noise-loop button");
    assert.equal(await v.page.evaluate(() => document.activeElement?.closest(".noise-loop") !== null), true);
    await v.page.keyboard.press("Space");
    assert.equal(await button(v.page), "▶ Play");
    await v.page.keyboard.press("Enter");
    assert.equal(await button(v.page), "❚❚ Pause");
  });

  it("lists in its chapter map exactly the chapters whose pages were built, in reading order", async () => {
    const pages = new Set(built());
    const expected = CHAPTERS.filter((c) => c.path !== "/" && pages.has(c.path)).map((c) => c.path);
    const listed = await v.page.$$eval(".chapter-map a", (as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
    assert.deepEqual(listed, expected,
      "the map differs from dist/: if a page was added, data/chapters.json may be a stale cache (delete src/.observablehq/cache/data/chapters.json)");
    const coming = await v.page.$eval(".coming", (p) => p.textContent ?? "").catch(() => "");
    for (const c of CHAPTERS.filter((c) => !pages.has(c.path))) assert.ok(coming.includes(c.title), `"${c.title}" not listed as still being written`);
    for (const path of listed) assert.equal((await v.page.request.get(origin + path)).status(), 200, path);
  });

  it("loads light: neither TensorFlow.js nor KaTeX is requested", async () => {
    const heavy = requested.filter((u) => /tfjs|katex/i.test(u));
    assert.deepEqual(heavy, []);
  });

  it("shows no error cell, console error or off-site request", async () => {
    assert.deepEqual(await v.problems(), []);
  });
});

describe("/ (Overview) for a reader who prefers reduced motion", () => {
  let browser: Browser, server: Server, origin: string;
  before(async () => { ({server, origin} = await serve()); browser = await launchChromium(); });
  after(async () => { await browser?.close(); server?.close(); });

  it("shows the data but does not animate until Play is pressed", async () => {
    const context = await browser.newContext({reducedMotion: "reduce", viewport: {width: 390, height: 844}});
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    await page.goto(origin + "/");
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

describe("/ (Overview) on a phone", () => {
  let browser: Browser, server: Server, origin: string;
  before(async () => { ({server, origin} = await serve()); browser = await launchChromium(); });
  after(async () => { await browser?.close(); server?.close(); });

  it("fits 390 px without sideways scrolling", async () => {
    const v = await visit(browser, origin, "/", {viewport: {width: 390, height: 844}});
    await v.page.waitForSelector(".noise-loop canvas");
    const overflow = await v.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `page is ${overflow} px wider than the screen`);
    assert.deepEqual(await v.problems(), []);
    await v.close();
  });
});
