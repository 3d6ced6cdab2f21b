// /guidance as a reader uses it: the page opens clean and its exact guided runs finish; moving the w
// slider redraws the samples and changes how many land in the asked-for class; the class picker and
// the drawing pad work from the keyboard; the buys/costs chart fills in; and at phone width the page
// fits and the slider still redraws.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import type {Page} from "playwright-core";
import {canvasHashes, changed, usePage, visit} from "./harness.js";

/** Sets an Observable range input (found by its data-control name) as a reader would, firing "input". */
const setControl = (page: Page, name: string, value: string) => page.$eval(`[data-control="${name}"] input[type=range]`, (input, value) => {
  (input as HTMLInputElement).value = value;
  input.dispatchEvent(new Event("input", {bubbles: true}));
}, value);

type Run = "ddim" | "ddpm" | "trained";
const readout = (page: Page, run: Run) => page.$eval(`.readouts[data-run="${run}"]`, (r) => r.textContent ?? "");
/** The in-class percentage a finished run's readout shows, for class `name`. */
const inClass = async (page: Page, run: Run, name: string) => {
  await page.waitForFunction(([run, name]) => document.querySelector(`.readouts[data-run="${run}"]`)?.textContent?.includes(`asked for (${name})`), [run, name], {timeout: 90_000});
  return Number((await readout(page, run)).match(/asked for \([^)]*\)\s*([\d.]+)%/)![1]);
};
const cfgHashes = (page: Page) => canvasHashes(page, ".cfg-panels .plane canvas");

describe("/guidance", () => {
  const site = usePage("/guidance", {ready: (page) => page.waitForSelector(".cfg-panels .plane canvas", {timeout: 120_000})});

  it("runs the exact conditional model: at w = 3 every DDIM and DDPM sample lands in the asked-for class", async () => {
    assert.equal(await inClass(site.v.page, "ddim", "east"), 100);
    assert.equal(await inClass(site.v.page, "ddpm", "east"), 100);
  });

  it("shows the shipped conditional network beside the exact model on first load: at w = 3 its samples land in the asked-for class", async () => {
    assert.ok((await inClass(site.v.page, "trained", "east")) >= 95);
  });

  it("trains a classifier of noisy points in the worker and guides with it beside the exact classifier: most samples land in the asked-for class at s = 1", async () => {
    const page = site.v.page;
    await page.waitForFunction(() => document.querySelector('.readouts[data-run="learned-classifier"]')?.textContent?.includes("asked for (east)"), null, {timeout: 240_000});
    const text = await page.$eval('.readouts[data-run="learned-classifier"]', (r) => r.textContent ?? "");
    const share = Number(text.match(/asked for \(east\)\s*([\d.]+)%/)![1]);
    assert.ok(share >= 80, `in class with the trained classifier: ${share}%`);
    assert.match(text, /cross-entropy over its last 250 steps: \d/);
  });

  it("moving w to −1 (the unconditional model) redraws the samples, drops the in-class share to about 1/8, and goes into the URL", async () => {
    const page = site.v.page, before = await cfgHashes(page), trainedBefore = await canvasHashes(page, ".trained-panels .plane canvas");
    await setControl(page, "w", "-1");
    await page.waitForFunction(() => document.querySelector('.readouts[data-run="ddim"]')?.textContent?.includes("full run is computing"), null, {timeout: 10_000});
    const share = await inClass(page, "ddim", "east");
    assert.ok(share > 5 && share < 25, `in class at w = −1: ${share}%`);
    const after = await changed(() => cfgHashes(page), before);
    assert.notEqual(after[0], before[0]);
    await page.waitForFunction(() => /(^\?|&)w=-1(&|$)/.test(location.search));
    // The trained network at w = −1 is its unconditional half: about one sample in eight in the class.
    await page.waitForFunction(() => {
      const m = document.querySelector('.readouts[data-run="trained"]')?.textContent?.match(/asked for \(east\)\s*([\d.]+)%/);
      return m && Number(m[1]) < 40;
    }, null, {timeout: 90_000});
    const trainedAfter = await changed(() => canvasHashes(page, ".trained-panels .plane canvas"), trainedBefore);
    assert.notEqual(trainedAfter[1], trainedBefore[1]);
  });

  it("dragging w with the arrow keys keeps the trained network's worker at the same tf.memory().numTensors", async () => {
    const page = site.v.page;
    const tensors = async () => {
      await page.waitForFunction(() => /tensors in its worker/.test(document.querySelector('.readouts[data-run="trained"]')?.textContent ?? ""), null, {timeout: 90_000});
      return Number((await readout(page, "trained")).match(/(\d+) tensors in its worker/)![1]);
    };
    const before = await tensors();
    await page.focus('[data-control="w"] input[type=range]');
    // Up and back down, a key every 100 ms: each starts a trained run that the next one supersedes.
    for (const key of [...Array(25).fill("ArrowRight"), ...Array(25).fill("ArrowLeft")]) {
      await page.keyboard.press(key);
      await page.waitForTimeout(100);
    }
    await page.waitForTimeout(1500);
    assert.equal(await tensors(), before);
    assert.match(await readout(page, "trained"), /network on (wasm|webgl|webgpu|cpu)/);
  });

  it("the class picker works from the keyboard: an arrow key asks for the next class", async () => {
    const page = site.v.page;
    await page.focus('[data-control="c"] input[value="0"]');
    await page.keyboard.press("ArrowRight");
    assert.ok((await inClass(page, "ddim", "north-east")) > 5);
    await page.waitForFunction(() => /(^\?|&)c=1(&|$)/.test(location.search));
  });

  it("the buys/costs chart fills in as the sweep is measured", async () => {
    const page = site.v.page;
    await page.evaluate(() => document.querySelector('[data-metric="share"]')!.scrollIntoView());
    await page.waitForFunction(() => /Measuring… ([4-9]|\d\d) of 24|All 24 runs/.test(document.body.textContent ?? ""), null, {timeout: 120_000});
    const path = await page.$eval('[data-metric="share"] path[stroke]:not(.domain)', (p) => p.getAttribute("d") ?? "");
    assert.ok((path.match(/L/g) ?? []).length >= 2, `share curve: ${path}`);
  });

  it("fills the table of w, exact against trained: the trained network is ≥ 95% in class at w = 0 and more concentrated at w = 3", async () => {
    const page = site.v.page;
    await page.evaluate(() => document.querySelector(".w-table")!.scrollIntoView());
    await page.waitForFunction(() => !(document.querySelector(".w-table")?.textContent ?? "…").includes("…"), null, {timeout: 240_000});
    const rows = await page.$$eval(".w-table tr", (trs) => trs.slice(1).map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")));
    const at = (w: string) => rows.find((r) => r[0] === w)!;
    assert.ok(parseFloat(at("0")[2]) >= 95, `trained in class at w = 0: ${at("0")[2]}`);
    assert.ok(parseFloat(at("3")[4]) < parseFloat(at("0")[4]), `trained spread at w = 3 ${at("3")[4]} vs w = 0 ${at("0")[4]}`);
  });

  it("draws with the keyboard on “Your drawing”: Space sprays the chosen ink at the cursor, and a third ink becomes a third class", async () => {
    const page = site.v.page;
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.selectOption('[data-control="data"] select', {label: "Your drawing, a class per ink"});
    await page.getByRole("img", {name: /^Drawing area with 400 drawn points/}).waitFor({state: "visible", timeout: 30_000});
    const pad = page.locator(".drawn-data canvas");
    await pad.focus();
    for (const key of ["ArrowRight", "ArrowRight", "ArrowUp", "Space"]) await page.keyboard.press(key);
    await page.waitForFunction(() => [...document.querySelectorAll("canvas")].some((c) => /^Drawing area with 418 drawn points \(218 blue, 200 yellow\)/.test(c.getAttribute("aria-label") ?? "")));
    // The pad's ink choice: the first radio of its own picker, then two steps right to red.
    await page.focus(".drawn-data .class-picker input[value='0']");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await pad.focus();
    for (const key of ["ArrowDown", "ArrowDown", "ArrowDown", "Space", "ArrowLeft", "Space"]) await page.keyboard.press(key);
    await page.waitForFunction(() => document.querySelectorAll('[data-control="c"] input[type=radio]').length === 3, null, {timeout: 60_000});
    assert.deepEqual(await page.$$eval('[data-control="c"] label', (ls) => ls.map((l) => l.textContent?.trim())), ["blue", "yellow", "red"]);
  });

  it("shows no console error, error cell or off-site request after all that", async () => {
    assert.deepEqual(await site.v.problems(), []);
  });

  it("at phone width the page fits and the w slider still redraws the samples", async () => {
    const v = await visit(site.browser, site.origin, "/guidance?w=0", {viewport: {width: 390, height: 844}});
    try {
      assert.equal(await inClass(v.page, "ddim", "east"), 100);
      const overflow = await v.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${overflow} px wider than the phone`);
      const before = await cfgHashes(v.page);
      await setControl(v.page, "w", "5");
      await v.page.waitForFunction(() => document.querySelector('.readouts[data-run="ddim"]')?.textContent?.includes("full run is computing"), null, {timeout: 10_000});
      await inClass(v.page, "ddim", "east");
      await changed(() => cfgHashes(v.page), before);
      assert.deepEqual(await v.problems(), []);
    } finally {
      await v.close();
    }
  });
});
