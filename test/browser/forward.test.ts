// /forward as a reader uses it: move the t slider and see the clouds and the ᾱ_t readout change;
// follow another point's walk; and nothing piles up listeners as t moves.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import type {Page} from "playwright-core";
import {canvasHashes, changed, liveListeners, trackListeners, usePage} from "./harness.js";

const readout = (page: Page, label: string) => page.$$eval(".readouts tr", (rows, label) =>
  rows.find((r) => r.querySelector("td")?.textContent?.includes(label))?.querySelectorAll("td")[1]?.textContent?.trim() ?? "", label);

/** The t the readout table was last drawn for (its header ends with it). */
const shownT = (page: Page) => page.$eval(".readouts th", (th) => Number(th.textContent?.match(/(\d+)\s*$/)?.[1]));

/** Positions of the followed walk's line on the Markov-chain plane, in px (the overlay's path). */
const walkPositions = (page: Page) => page.$$eval(".plane", (planes) => {
  const d = planes[1].querySelector("svg > g:last-of-type > path")?.getAttribute("d") ?? "";
  return [...d.matchAll(/[ML]([^,LM]+),([^,LM]+)/g)].map((m) => `${m[1]},${m[2]}`);
});

describe("/forward", () => {
  const site = usePage("/forward", {beforeLoad: trackListeners, ready: (page) => page.waitForSelector(".plane canvas")});

  /** Moves the t slider as a reader does and waits until the page has redrawn for it. */
  const slide = async (k: number) => {
    await site.v.page.$eval(".scrubber input[type=range]", (input, k) => {
      (input as HTMLInputElement).value = String(k);
      input.dispatchEvent(new Event("input", {bubbles: true}));
    }, k);
    await site.v.page.waitForFunction((k) => document.querySelector(".readouts th")?.textContent?.trim().endsWith(` ${k}`), k);
  };

  it("starts at t = 0 with ᾱ_t = 1", async () => {
    assert.equal(await readout(site.v.page, "signal kept"), "1.000");
  });

  it("moving the slider to t = 250 redraws both clouds and shows DDPM's ᾱ after 250 steps", async () => {
    const before = await canvasHashes(site.v.page, ".plane canvas");
    await slide(250);
    const after = await changed(() => canvasHashes(site.v.page, ".plane canvas"), before);
    assert.notEqual(after[0], before[0], "closed-form canvas unchanged");
    assert.notEqual(after[1], before[1], "Markov-chain canvas unchanged");
    // Independent reference: ∏_{s<250}(1 − β_s) with β linear from 1e-4 to 0.02 over 1000 steps.
    let ab = 1;
    for (let s = 0; s < 250; ++s) ab *= 1 - (1e-4 + (0.02 - 1e-4) * s / 999);
    const shown = Number(await changed(() => readout(site.v.page, "signal kept"), "1.000"));
    assert.ok(Math.abs(shown - ab) < 5e-4, `ᾱ shown ${shown}, expected ${ab}`);
  });

  it("the chain and the closed form add noise of variance 1 − ᾱ_t (within 5% at 5,000 points)", async () => {
    await slide(600);
    await site.v.page.waitForFunction(() => document.querySelector(".scrubber output")?.textContent?.startsWith("600"));
    await site.v.page.waitForTimeout(200);
    const [theory, closed, chain] = (await readout(site.v.page, "variance of")).split("·").map(Number);
    assert.ok(Math.abs(closed - theory) < 0.05 * theory, `closed ${closed} vs ${theory}`);
    assert.ok(Math.abs(chain - theory) < 0.05 * theory, `chain ${chain} vs ${theory}`);
  });

  it("ten moves of t leave the planes with as many pointer listeners as before", async () => {
    await slide(0);
    const before = await liveListeners(site.v.page, ".plane canvas", "pointer");
    for (let k = 1; k <= 10; ++k) await slide(10 * k);
    assert.equal(await shownT(site.v.page), 100);
    assert.equal(await liveListeners(site.v.page, ".plane canvas", "pointer"), before);
  });

  it("\"Follow another point\" draws another point's walk, through many distinct positions", async () => {
    await slide(300);
    const before = await walkPositions(site.v.page);
    await site.v.page.getByRole("button", {name: "Follow another point"}).click();
    const after = await changed(() => walkPositions(site.v.page), before);
    const finite = after.filter((p) => p.split(",").every((v) => Number.isFinite(Number(v))));
    assert.equal(after.length, 301, "a walk of t = 300 steps has 301 positions");
    assert.ok(new Set(finite).size > 100, `only ${new Set(finite).size} distinct finite positions: ${after.slice(0, 3).join(" ")}…`);
  });

  it("pressing the Markov-chain plot follows the point drawn nearest to where it was pressed", async () => {
    await slide(300);
    const before = await walkPositions(site.v.page);
    const box = (await site.v.page.locator(".plane canvas").nth(1).boundingBox())!;
    const [px, py] = [0.45 * box.width, 0.55 * box.height];
    await site.v.page.mouse.click(box.x + px, box.y + py);
    const after = await changed(() => walkPositions(site.v.page), before);
    // The walk ends where its point is now: within a few pixels of the press in a cloud this dense.
    const [ex, ey] = after[after.length - 1].split(",").map(Number);
    assert.ok(Math.hypot(ex - px, ey - py) < 15, `walk ends at (${ex}, ${ey}), pressed at (${px}, ${py})`);
  });

  it("typesets the math with KaTeX and its own fonts", async () => {
    assert.ok(await site.v.page.$$eval(".katex", (e) => e.length) > 10);
    const loaded = await site.v.page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].filter((f) => f.family.includes("KaTeX") && f.status === "loaded").length;
    });
    assert.ok(loaded >= 2, `${loaded} KaTeX fonts loaded`);
  });

  it("shows no error cell, console error or off-site request after the interaction", async () => {
    assert.deepEqual(await site.v.problems(), []);
  });
});
