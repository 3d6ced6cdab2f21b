// /sampling as a reader uses it: the steps slider and the sampler menu redraw the reverse process,
// Play runs it from the keyboard, the race runs to the end with each sampler's NFE, the quality chart
// puts exact DPM-Solver++ at 20 steps near the data floor, and a link's settings come back.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import type {Page} from "playwright-core";
import {canvasHashes, changed, usePage, visit} from "./harness.js";

/** Fingerprints of the two reverse-process canvases (x_t, x̂0). */
const panelHashes = (page: Page) => canvasHashes(page, ".reverse-panels .plane canvas");

/** Sets an Observable range or number input (found by its data-control name) as a reader would, firing "input". */
const setControl = (page: Page, name: string, value: string) => page.$eval(`[data-control="${name}"]`, (form, value) => {
  const input = form.querySelector("input[type=range], input[type=number]") as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event("input", {bubbles: true}));
}, value);

const scrubberText = (page: Page) => page.$eval(".play-row .scrubber output", (o) => o.textContent ?? "");

describe("/sampling", () => {
  const site = usePage("/sampling", {ready: async (page) => {
    await page.waitForSelector(".reverse-panels .plane canvas");
    await page.waitForFunction(() => document.querySelector(".play-row .scrubber output")?.textContent === "100 / 100");
  }});
  const v = {get page() { return site.v.page; }, problems: () => site.v.problems()};

  it("opens on DDPM with T = 100 steps (its customary 1000 clamped to the schedule), NFE 100 of 100", async () => {
    await v.page.waitForFunction(() => document.querySelector(".readouts")?.textContent?.includes("100 of 100"));
    assert.match(await v.page.$eval(".readouts", (e) => e.textContent ?? ""), /step100 of 100/);
  });

  it("moving the steps slider to 10 redraws both panels and goes into the URL", async () => {
    const before = await panelHashes(v.page);
    await setControl(v.page, "steps", "10");
    await changed(() => scrubberText(v.page), "100 / 100");
    const after = await changed(() => panelHashes(v.page), before);
    assert.notEqual(after[0], before[0], "x_t panel unchanged");
    assert.notEqual(after[1], before[1], "x̂0 panel unchanged");
    // The URL is written at most every 150 ms (url-state.ts), so wait for it.
    await v.page.waitForFunction(() => /(^\?|&)steps=10(&|$)/.test(location.search));
  });

  it("switching the sampler to DDIM changes the picture and enables η", async () => {
    const before = await panelHashes(v.page);
    assert.equal(await v.page.$eval('[data-control="eta"] input[type=range]', (i) => (i as HTMLInputElement).disabled), true);
    await v.page.selectOption('[data-control="sampler"] select', {label: "DDIM"});
    const after = await changed(() => panelHashes(v.page), before);
    assert.notEqual(after[0], before[0]);
    assert.equal(await v.page.$eval('[data-control="eta"] input[type=range]', (i) => (i as HTMLInputElement).disabled), false);
  });

  it("Play runs the reverse process from step 0, from the keyboard", async () => {
    await v.page.focus(".play-row .scrubber button");
    await v.page.keyboard.press("Enter");
    // At the end Play restarts from 0, so the readout leaves "10 / 10" and comes back to it.
    await changed(() => scrubberText(v.page), "10 / 10", 3000);
    await v.page.waitForFunction(() => document.querySelector(".play-row .scrubber output")?.textContent === "10 / 10", null, {timeout: 10_000});
  });

  it("the race runs to the end: every NFE counter reaches its sampler's cost and the winner is named", async () => {
    await v.page.locator(".race-board").scrollIntoViewIfNeeded();
    await v.page.waitForFunction(() => [...document.querySelectorAll(".race-lane")].every((l) => (l as HTMLElement).dataset.place), null, {timeout: 20_000});
    const lanes = await v.page.$$eval(".race-lane", (ls) => ls.map((l) => ({...(l as HTMLElement).dataset})));
    // Written out independently: DDPM 1000 → T = 100 steps, DDIM 50, Euler 50, Heun 18 steps = 2·18 − 1, DPM-Solver++ 20.
    assert.deepEqual(lanes.map((l) => [l.sampler, Number(l.nfe), l.finished]), [
      ["ddpm", 100, "true"], ["ddim", 50, "true"], ["euler", 50, "true"], ["heun", 35, "true"], ["dpm-solver++", 20, "true"],
    ]);
    assert.deepEqual(lanes.map((l) => l.place), ["5", "3", "3", "2", "1"]);
    // The summary follows the placings once the lanes are scored against the data (a moment later on a slow machine).
    await v.page.waitForFunction(() => document.querySelector(".race-board + p")?.textContent !== "Racing…", null, {timeout: 20_000});
    assert.match(await v.page.$eval(".race-board + p", (p) => p.textContent ?? ""), /^DPM-Solver\+\+\(2M\) reached the data first, after 20 evaluations/);
  });

  it("the quality chart computes on request, and exact DPM-Solver++ at 20 steps is within 2× the data-vs-data floor", async () => {
    await v.page.getByRole("button", {name: "Compute now"}).click();
    const mark = '.quality-chart [data-series="exact:dpm-solver++"] path.mark[data-steps="20"]';
    await v.page.waitForSelector(mark, {timeout: 20_000});
    const value = Number(await v.page.$eval(mark, (m) => m.getAttribute("data-value")));
    const floor = Number(await v.page.$eval(".quality-chart", (c) => (c as HTMLElement).dataset.floor));
    assert.ok(floor > 0.03 && floor < 0.2, `floor ${floor}`);
    assert.ok(value > 0 && value < 2 * floor, `DPM-Solver++ at 20 steps: ${value}, floor ${floor}`);
    // One evaluation from pure noise collapses every point near the mean: far above the floor.
    const one = Number(await v.page.$eval('.quality-chart [data-series="exact:ddim"] path.mark[data-steps="1"]', (m) => m.getAttribute("data-value")));
    assert.ok(one > 5 * floor, `DDIM at 1 step: ${one}`);
  });

  it("shows no error cell, console error or off-site request after all that", async () => {
    assert.deepEqual(await v.problems(), []);
  });

  it("a link restores sampler, steps and η, and says which settings it ignored", async () => {
    const w = await visit(site.browser, site.origin, "/sampling?sampler=heun&steps=7&eta=3&denoiser=exact&seed=4");
    try {
      await w.page.waitForFunction(() => document.querySelector(".play-row .scrubber output")?.textContent === "7 / 7");
      // An Observable input's value is the chosen name (the <select> itself holds option indices).
      assert.equal(await w.page.$eval('[data-control="sampler"]', (f) => (f as HTMLFormElement & {value: string}).value), "heun");
      assert.equal(await w.page.$eval('[data-control="seed"]', (f) => (f as HTMLFormElement & {value: number}).value), 4);
      assert.match(await w.page.$eval(".state-notice", (n) => n.textContent ?? ""), /eta=3 is not valid; using 0/);
      // Heun: 2·7 − 1 evaluations.
      await w.page.waitForFunction(() => document.querySelector(".readouts")?.textContent?.includes("13 of 13"));
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.close();
    }
  });
});

describe("/sampling with the trained network", () => {
  const site = usePage("/sampling?denoiser=trained&steps=10", {ready: (page) => page.waitForSelector(".reverse-panels .plane canvas")});
  const v = {get page() { return site.v.page; }, problems: () => site.v.problems()};
  const readout = () => v.page.$eval(".readouts", (e) => e.textContent ?? "");

  // Written out independently: 10 steps cost 10 evaluations, Heun's 2·10 − 1.
  const expected: [string, number][] = [["DDPM (ancestral)", 10], ["DDIM", 10], ["Probability-flow ODE, Euler", 10], ["Probability-flow ODE, Heun", 19], ["DPM-Solver++(2M)", 10]];
  for (const [label, nfe] of expected) {
    it(`runs ${label} in the worker to its last state (NFE ${nfe} of ${nfe}) and names the backend`, async () => {
      await v.page.selectOption('[data-control="sampler"] select', {label});
      await v.page.waitForFunction((nfe) => {
        const text = document.querySelector(".readouts")?.textContent ?? "";
        return text.includes(`${nfe} of ${nfe}`) && !text.includes("computing") && /trained network .*, on (wasm|webgl|webgpu|cpu)/.test(text);
      }, nfe, {timeout: 30_000});
      assert.doesNotMatch(await readout(), /stopped/);
    });
  }

  it("races every sampler on the trained network to the end and shows the summary", async () => {
    await v.page.locator(".race-board").scrollIntoViewIfNeeded();
    await v.page.waitForFunction(() => [...document.querySelectorAll(".race-lane")].every((l) => (l as HTMLElement).dataset.place), null, {timeout: 60_000});
    const lanes = await v.page.$$eval(".race-lane", (ls) => ls.map((l) => [(l as HTMLElement).dataset.sampler, Number((l as HTMLElement).dataset.nfe)]));
    assert.deepEqual(lanes, [["ddpm", 100], ["ddim", 50], ["euler", 50], ["heun", 35], ["dpm-solver++", 20]]);
    await v.page.waitForFunction(() => / reached the data first, after \d+ evaluations/.test(document.querySelector(".race-board + p")?.textContent ?? ""), null, {timeout: 30_000});
  });

  it("shows no error cell, console error or off-site request", async () => {
    assert.deepEqual(await v.problems(), []);
  });
});
