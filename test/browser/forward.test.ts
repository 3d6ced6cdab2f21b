// /forward as a reader uses it: move the t slider and see the clouds and the ᾱ_t readout change.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import type {Page} from "playwright-core";
import {canvasHashes, changed, usePage} from "./harness.js";

const readout = (page: Page, label: string) => page.$$eval(".readouts tr", (rows, label) =>
  rows.find((r) => r.querySelector("td")?.textContent?.includes(label))?.querySelectorAll("td")[1]?.textContent?.trim() ?? "", label);

describe("/forward", () => {
  const site = usePage("/forward", {ready: (page) => page.waitForSelector(".plane canvas")});

  const slide = (k: number) => site.v.page.$eval(".scrubber input[type=range]", (input, k) => {
    (input as HTMLInputElement).value = String(k);
    input.dispatchEvent(new Event("input", {bubbles: true}));
  }, k);

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
