// /schedules as a reader uses it: one slider moves every schedule's cloud, T and the zero-terminal-SNR
// switch change the terminal ᾱ shown, the state lives in the URL, and a nonsense URL falls back.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import type {Page} from "playwright-core";
import {canvasHashes, changed, usePage, visit} from "./harness.js";
import {readState} from "../../components/page/url-state.js";
import {trainingTable} from "../../components/page/state/training.js";

const BETA_SCHEDULES = ["linear", "scaled-linear", "cosine", "sigmoid"];

/** The schedule and T that the link to /training opens that page with (read by /training's own URL table). */
const trainingLinkState = async (page: Page) => {
  const href = (await page.$eval("a.training-link", (a) => a.getAttribute("href")))!;
  assert.match(href, /^\.\/training(\?|$)/);
  const {values, rejected} = readState(trainingTable, href.slice("./training".length));
  assert.deepEqual(rejected, []);
  return {schedule: values.schedule, T: values.T};
};

const multipleHashes = (page: Page) => canvasHashes(page, ".multiples .plane canvas");

/** The ᾱ_T shown for each schedule at the reader's T, by schedule name. */
const terminal = (page: Page) => page.$$eval("[data-alpha-bar-terminal]", (cells) =>
  Object.fromEntries(cells.map((c) => [c.getAttribute("data-alpha-bar-terminal"), c.textContent!.trim()])));

/** ∏_{k=1..T} (1 − β_k) for DDPM's linear betas from 1e-4 to 0.02, written out independently. */
function linearAlphaBarT(T: number): number {
  let ab = 1;
  for (let k = 1; k <= T; ++k) ab *= 1 - (1e-4 + ((0.02 - 1e-4) * (k - 1)) / (T - 1));
  return ab;
}

describe("/schedules", () => {
  const site = usePage("/schedules", {ready: async (page) => {
    await page.waitForSelector(".multiples .plane canvas");
    await page.waitForSelector("[data-alpha-bar-terminal]");
  }});

  const slide = (k: number) => site.v.page.$eval(".sticky-scrubber input[type=range]", (input, k) => {
    (input as HTMLInputElement).value = String(k);
    input.dispatchEvent(new Event("input", {bubbles: true}));
  }, k);

  it("shows one cloud per schedule, five in all, each labelled for screen readers", async () => {
    const labels = await site.v.page.$$eval(".multiples .plane canvas", (cs) => cs.map((c) => c.getAttribute("aria-label") ?? ""));
    assert.equal(labels.length, 5);
    for (const [i, name] of ["Linear", "Scaled linear", "Cosine", "Sigmoid", "EDM / Karras"].entries()) {
      assert.match(labels[i], new RegExp(`t = 500 of 1000 under the ${name} schedule`));
    }
  });

  it("moving the shared slider redraws every schedule's cloud and goes into the URL", async () => {
    const before = await multipleHashes(site.v.page);
    await slide(300);
    await changed(() => site.v.page.$eval(".sticky-scrubber output", (o) => o.textContent), "500 / 1000");
    const after = await changed(() => multipleHashes(site.v.page), before);
    await site.v.page.waitForTimeout(100);
    const settled = await multipleHashes(site.v.page);
    for (let i = 0; i < 5; ++i) assert.notEqual(settled[i], before[i], `canvas ${i} unchanged`);
    assert.equal(after.length, 5);
    await site.v.page.waitForFunction((re) => new RegExp(re).test(location.search), /(^\?|&)t=300(&|$)/.source); // URL writes are throttled to 150 ms
  });

  it("the slider answers the keyboard", async () => {
    await site.v.page.focus(".sticky-scrubber input[type=range]");
    await site.v.page.keyboard.press("ArrowRight");
    await changed(() => site.v.page.$eval(".sticky-scrubber output", (o) => o.textContent), "300 / 1000");
    assert.equal(await site.v.page.$eval(".sticky-scrubber output", (o) => o.textContent), "301 / 1000");
  });

  it("starts with DDPM's published ᾱ_T = 4.04e-5 for linear at T = 1000", async () => {
    assert.equal((await terminal(site.v.page)).linear, "4.04e-5");
  });

  it("changing T to 250 shows the independently computed linear ᾱ_T and updates the URL and the training link", async () => {
    const before = await terminal(site.v.page);
    await site.v.page.$eval(".settings input[type=number]", (input) => {
      (input as HTMLInputElement).value = "250";
      input.dispatchEvent(new Event("input", {bubbles: true}));
    });
    const shown = await changed(() => terminal(site.v.page), before);
    const expected = linearAlphaBarT(250);
    assert.ok(Math.abs(Number(shown.linear) - expected) < 1e-4 * expected, `shown ${shown.linear}, expected ${expected}`);
    await site.v.page.waitForFunction((re) => new RegExp(re).test(location.search), /(^\?|&)T=250(&|$)/.source); // URL writes are throttled to 150 ms
    assert.deepEqual(await trainingLinkState(site.v.page), {schedule: "scaled-linear", T: 250});
    // The slider's range follows T.
    assert.equal(await site.v.page.$eval(".sticky-scrubber input[type=range]", (i) => (i as HTMLInputElement).max), "250");
  });

  it("the zero-terminal-SNR switch makes every β schedule's ᾱ_T read 0 and leaves EDM's 1/(1 + 80²)", async () => {
    const before = await terminal(site.v.page);
    await site.v.page.click(".settings input[type=checkbox]");
    const shown = await changed(() => terminal(site.v.page), before);
    for (const name of BETA_SCHEDULES) assert.equal(shown[name], "0", name);
    assert.equal(shown.karras, (1 / (1 + 80 ** 2)).toExponential(2));
    // The second switch, beside the table, is bound to the first.
    assert.equal(await site.v.page.$eval(".terminal-card input[type=checkbox]", (c) => (c as HTMLInputElement).checked), true);
    await site.v.page.waitForFunction((re) => new RegExp(re).test(location.search), /(^\?|&)zsnr=true(&|$)/.source); // URL writes are throttled to 150 ms
  });

  it("shows no error cell, console error or off-site request after the interaction", async () => {
    assert.deepEqual(await site.v.problems(), []);
  });

  it("a URL with nonsense parameters shows a notice and the defaults, and stays clean", async () => {
    const bad = await visit(site.browser, site.origin, "/schedules?T=-5&schedule=foo&zzz=1");
    try {
      await bad.page.waitForSelector("[data-alpha-bar-terminal]");
      const notice = await bad.page.$eval(".state-notice", (n) => n.textContent ?? "");
      assert.match(notice, /T=-5 is not valid; using 1000/);
      assert.match(notice, /schedule=foo is not valid; using scaled-linear/);
      assert.match(notice, /zzz is not a setting of this page/);
      assert.equal((await terminal(bad.page)).linear, "4.04e-5");
      assert.equal(await bad.page.$eval(".settings input[type=number]", (i) => (i as HTMLInputElement).value), "1000");
      assert.deepEqual(await trainingLinkState(bad.page), {schedule: "scaled-linear", T: 1000});
      assert.deepEqual(await bad.problems(), []);
    } finally {
      await bad.close();
    }
  });

  it("a shared link restores its settings", async () => {
    const link = await visit(site.browser, site.origin, "/schedules?T=100&t=40&schedule=cosine&zsnr=true&data=ring");
    try {
      await link.page.waitForSelector("[data-alpha-bar-terminal]");
      assert.equal(await link.page.$eval(".sticky-scrubber output", (o) => o.textContent), "40 / 100");
      assert.equal((await terminal(link.page)).linear, "0");
      // Cosine with T = 100 is /training's own default, so the link carries nothing.
      assert.equal(await link.page.$eval("a.training-link", (a) => a.getAttribute("href")), "./training");
      assert.deepEqual(await trainingLinkState(link.page), {schedule: "cosine", T: 100});
      assert.equal(await link.page.$$eval(".state-notice", (n) => n.length), 0);
      assert.deepEqual(await link.problems(), []);
    } finally {
      await link.close();
    }
  });
});
