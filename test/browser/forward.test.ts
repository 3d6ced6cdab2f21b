// /forward as a reader uses it: move the t slider and see the clouds and the ᾱ_t readout change.
import {after, before, describe, it} from "node:test";
import assert from "node:assert/strict";
import type {Browser, Page} from "playwright-core";
import type {Server} from "node:http";
import {launchChromium} from "./chromium.js";
import {serve} from "./serve.js";
import {changed, visit, type Visit} from "./harness.js";

/** A cheap fingerprint of every canvas's pixels, to tell that a redraw changed the picture. */
const canvasHashes = (page: Page) => page.$$eval(".plane canvas", (canvases) =>
  canvases.map((c) => {
    const d = (c as HTMLCanvasElement).getContext("2d")!.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data;
    let h = 0;
    for (let i = 3; i < d.length; i += 4) h = (h * 31 + d[i]) | 0;
    return h;
  }));

const readout = (page: Page, label: string) => page.$$eval(".readouts tr", (rows, label) =>
  rows.find((r) => r.querySelector("td")?.textContent?.includes(label))?.querySelectorAll("td")[1]?.textContent?.trim() ?? "", label);

describe("/forward", () => {
  let browser: Browser, server: Server, origin: string, v: Visit;
  before(async () => {
    ({server, origin} = await serve());
    browser = await launchChromium();
    v = await visit(browser, origin, "/forward");
    await v.page.waitForSelector(".plane canvas");
  });
  after(async () => { await v?.close(); await browser?.close(); server?.close(); });

  const slide = (k: number) => v.page.$eval(".scrubber input[type=range]", (input, k) => {
    (input as HTMLInputElement).value = String(k);
    input.dispatchEvent(new Event("input", {bubbles: true}));
  }, k);

  it("starts at t = 0 with ᾱ_t = 1", async () => {
    assert.equal(await readout(v.page, "signal kept"), "1.000");
  });

  it("moving the slider to t = 250 redraws both clouds and shows DDPM's ᾱ after 250 steps", async () => {
    const before = await canvasHashes(v.page);
    await slide(250);
    const after = await changed(() => canvasHashes(v.page), before);
    assert.notEqual(after[0], before[0], "closed-form canvas unchanged");
    assert.notEqual(after[1], before[1], "Markov-chain canvas unchanged");
    // Independent reference: ∏_{s<250}(1 − β_s) with β linear from 1e-4 to 0.02 over 1000 steps.
    let ab = 1;
    for (let s = 0; s < 250; ++s) ab *= 1 - (1e-4 + (0.02 - 1e-4) * s / 999);
    const shown = Number(await changed(() => readout(v.page, "signal kept"), "1.000"));
    assert.ok(Math.abs(shown - ab) < 5e-4, `ᾱ shown ${shown}, expected ${ab}`);
  });

  it("the chain and the closed form add noise of variance 1 − ᾱ_t (within 5% at 5,000 points)", async () => {
    await slide(600);
    await v.page.waitForFunction(() => document.querySelector(".scrubber output")?.textContent?.startsWith("600"));
    await v.page.waitForTimeout(200);
    const [theory, closed, chain] = (await readout(v.page, "variance of")).split("·").map(Number);
    assert.ok(Math.abs(closed - theory) < 0.05 * theory, `closed ${closed} vs ${theory}`);
    assert.ok(Math.abs(chain - theory) < 0.05 * theory, `chain ${chain} vs ${theory}`);
  });

  it("typesets the math with KaTeX and its own fonts", async () => {
    assert.ok(await v.page.$$eval(".katex", (e) => e.length) > 10);
    const loaded = await v.page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].filter((f) => f.family.includes("KaTeX") && f.status === "loaded").length;
    });
    assert.ok(loaded >= 2, `${loaded} KaTeX fonts loaded`);
  });

  it("shows no error cell, console error or off-site request after the interaction", async () => {
    assert.deepEqual(await v.problems(), []);
  });
});
