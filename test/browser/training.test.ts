// /training as a reader uses it: Train moves the step counter and the loss, Pause stops them, Step
// takes one step, a bad weights file is refused and the model kept, memory stays flat, a diverging
// run stops at its last good step, a drawing is trained on, and Min-SNR weighting reshapes the loss by t.
// Every test brings the page into the state it needs, so they pass in any order or alone.
import {describe, it, before, after} from "node:test";
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import type {Page} from "playwright-core";
import {useSite, visit, type Visit} from "./harness.js";

const status = (page: Page) => page.$eval(".status", (e) => e.textContent ?? "");
const field = (text: string, name: string) => {
  const m = text.match(new RegExp(`${name} ([\\d,.e+-]+)`));
  return m ? Number(m[1].replace(/,/g, "")) : NaN;
};
const until = async (page: Page, test: (s: string) => boolean, timeout = 60_000) => {
  const start = Date.now();
  for (;;) {
    const s = await status(page);
    if (test(s)) return s;
    if (Date.now() - start > timeout) throw new Error(`status stayed "${s}"`);
    await page.waitForTimeout(100);
  }
};
const button = (page: Page, name: string) => page.getByRole("button", {name, exact: true});

/**
 * Stops training if it runs, and resolves once the page says so (or has not trained yet). A progress
 * report posted before the worker saw an earlier Pause can re-enable the button for a moment, and
 * the next report disables it again: a click that finds it disabled is not waited on, the status is.
 */
async function paused(page: Page): Promise<string> {
  if (await button(page, "Pause").isEnabled()) await button(page, "Pause").click({timeout: 2000}).catch(() => undefined);
  return until(page, (s) => s.includes("paused") || s.includes("press Train"));
}

/** Paused with a step count on show: one Step first if the page has not reported any yet. */
async function pausedAtAStep(page: Page): Promise<number> {
  const s = await paused(page);
  if (Number.isFinite(field(s, "step"))) return field(s, "step");
  await button(page, "Step").click();
  return field(await until(page, (t) => t.includes("paused") && Number.isFinite(field(t, "step"))), "step");
}

/** The loss of each t-bucket in the last chunk, as the chart's text alternative gives it. */
const lossByT = async (page: Page) => {
  const label = await page.$eval('svg[aria-label^="Loss by timestep in the last chunk"]', (s) => s.getAttribute("aria-label") ?? "");
  return [...label.matchAll(/: ([\d.e+-]+)(?=;|$)/g)].map((m) => Number(m[1]));
};

describe("/training", () => {
  const site = useSite();
  // wasm keeps the tests quick and deterministic on a machine without a GPU.
  const open = async (path = "") => {
    // Ready is what the status line says, not network silence (which a loaded machine delays past goto's timeout).
    const v = await visit(site.browser, site.origin, `/training?backend=wasm${path}`, {settle: false});
    await until(v.page, (s) => s.includes("press Train") || s.includes("step"));
    return v;
  };
  let shared: Visit;
  before(async () => { shared = await open(); });
  after(async () => { await shared?.close(); });

  it("has buttons named Train, Pause, Step and Reset", async () => {
    for (const name of ["Train", "Pause", "Step", "Reset"]) assert.equal(await button(shared.page, name).count(), 1, name);
  });

  it("Train makes the step counter and loss move; Pause stops them", async () => {
    const page = shared.page;
    await paused(page);
    await button(page, "Train").click();
    const first = await until(page, (s) => !s.includes("paused") && field(s, "step") > 0);
    const later = await until(page, (s) => field(s, "step") > field(first, "step") + 20);
    assert.notEqual(field(later, "loss"), field(first, "loss"));
    assert.match(later, /backend wasm/);
    await button(page, "Pause").click();
    const stopped = await until(page, (s) => s.includes("paused"));
    await page.waitForTimeout(1500);
    assert.equal(field(await status(page), "step"), field(stopped, "step"), "steps continued after Pause");
  });

  it("Step takes exactly one step", async () => {
    const page = shared.page;
    const before = await pausedAtAStep(page);
    await button(page, "Step").click();
    const after = await until(page, (s) => field(s, "step") !== before);
    assert.equal(field(after, "step"), before + 1);
  });

  it("keeps tf.memory().numTensors flat across training chunks", async () => {
    const page = shared.page;
    await paused(page);
    await button(page, "Train").click();
    const a = await until(page, (s) => !s.includes("paused") && field(s, "step") > 0);
    const b = await until(page, (s) => field(s, "step") > field(a, "step") + 100);
    await button(page, "Pause").click();
    assert.equal(field(b, "tensors"), field(a, "tensors"));
  });

  it("refuses a malformed weights file with a clear message and keeps the model", async () => {
    const page = shared.page;
    const before = await pausedAtAStep(page);
    await page.setInputFiles("input[type=file]", {name: "bad.json", mimeType: "application/json", buffer: Buffer.from('{"format": "something else"}')});
    const note = await page.waitForFunction(() => [...document.querySelectorAll("[role=status]")].map((e) => e.textContent).find((t) => t?.includes("not a Diffusion Lab weights file")));
    assert.match(String(await note.jsonValue()), /current model is unchanged/);
    assert.equal(field(await status(page), "step"), before);
  });

  it("loads a weights file it saved, and says how long that model was trained", async () => {
    const page = shared.page;
    const step = await pausedAtAStep(page);
    const [saved] = await Promise.all([page.waitForEvent("download"), button(page, "Download weights").click()]);
    const buffer = readFileSync((await saved.path())!);
    await page.setInputFiles("input[type=file]", {name: "mine.json", mimeType: "application/json", buffer});
    const note = await page.waitForFunction(() => [...document.querySelectorAll("[role=status]")].map((e) => e.textContent).find((t) => t?.startsWith("Loaded mine.json")));
    assert.equal(String(await note.jsonValue()), `Loaded mine.json (trained ${step} steps).`);
  });

  it("shows no console error, error cell or off-site request", async () => {
    assert.deepEqual(await shared.problems(), []);
  });

  it("a learning rate of 10 diverges: training stops itself, says so, and keeps the step shown before the divergence", async () => {
    const v = await open();
    try {
      const page = v.page;
      // From fresh weights, some good steps at the default learning rate first.
      await button(page, "Reset").click();
      await until(page, (s) => field(s, "step") === 0);
      await button(page, "Train").click();
      await until(page, (s) => field(s, "step") >= 30);
      const good = field(await paused(page), "step");
      // Every status line and notice the reader sees from here on, in order.
      // (No named functions inside evaluate: tsx would wrap them in a helper the page does not have.)
      await page.evaluate(() => {
        const seen: string[] = ((window as unknown as {seen: string[]}).seen = []);
        for (const [selector, kind] of [[".status", "status"], [".notices", "notice"]]) {
          const e = document.querySelector(selector)!;
          new MutationObserver(() => seen.push(`${kind}:${e.textContent}`)).observe(e, {childList: true, subtree: true, characterData: true});
        }
      });
      await page.getByRole("slider", {name: "log₁₀ learning rate"}).fill("1");
      await page.getByRole("slider", {name: "log₁₀ learning rate"}).dispatchEvent("input");
      await page.waitForFunction(() => /(^\?|&)lr=1(&|$)/.test(location.search));
      await button(page, "Train").click();
      const warning = String(await (await page.waitForFunction(() => document.querySelector(".notices")?.textContent?.match(/Training stopped: .*/)?.[0], null, {timeout: 60_000})).jsonValue());
      const restoredTo = Number(warning.match(/restored to step (\d+)/)?.[1]);
      const after = field(await until(page, (s) => s.includes("paused")), "step");
      const seen = await page.evaluate(() => (window as unknown as {seen: string[]}).seen);
      const stopAt = seen.findIndex((e) => e.startsWith("notice:") && e.includes("Training stopped"));
      const shownBefore = seen.slice(0, stopAt).filter((e) => e.startsWith("status:")).map((e) => field(e, "step")).filter(Number.isFinite).at(-1) ?? good;
      assert.ok(shownBefore >= good, `${shownBefore} < ${good}`);
      assert.equal(restoredTo, shownBefore, warning);
      assert.equal(after, shownBefore);
      assert.deepEqual(await v.problems(), []);
    } finally {
      await v.close();
    }
  });

  it("trains a class-conditional model when the URL asks for one: the page says so, the loss moves, and the samples are asked for class by class", async () => {
    const v = await open("&conditioning=class");
    try {
      const page = v.page;
      await page.waitForFunction(() => document.body.textContent?.includes("A conditional model"));
      await button(page, "Train").click();
      const first = await until(page, (s) => !s.includes("paused") && field(s, "step") > 0);
      const later = await until(page, (s) => field(s, "step") >= field(first, "step") + 50);
      assert.ok(Number.isFinite(field(later, "loss")), later);
      await button(page, "Pause").click();
      assert.match(await page.$eval('[data-control="conditioning"] select', (s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? ""), /a class per mode/);
      // The samples panel asks the model for each class in turn, each in its colour.
      await page.getByRole("img", {name: /^1500 samples from the model after \d+ steps, 8 classes asked for in turn/}).waitFor({timeout: 60_000});
      assert.match(await page.locator(".card h3").first().textContent() ?? "", /each class asked for \(w = 0\)/);
      assert.deepEqual(await v.problems(), []);
    } finally {
      await v.close();
    }
  });

  it("asks for a drawing when “Draw your own” is empty, and trains on one once drawn", async () => {
    const v = await open("&data=draw");
    try {
      const page = v.page;
      await page.waitForFunction(() => document.body.textContent?.includes("The drawing is empty"));
      const pad = page.getByRole("img", {name: /Drawing area/});
      await pad.scrollIntoViewIfNeeded();
      const box = (await pad.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
      await page.mouse.down();
      for (let i = 0; i <= 30; ++i) await page.mouse.move(box.x + box.width * (0.3 + 0.4 * i / 30), box.y + box.height * (0.5 - 0.2 * Math.sin(i / 5)));
      await page.mouse.up();
      await page.waitForFunction(() => /\d+ points drawn: the model trains on them/.test(document.body.textContent ?? ""));
      await button(page, "Train").click();
      const first = await until(page, (s) => !s.includes("paused") && field(s, "step") > 0);
      const later = await until(page, (s) => field(s, "step") >= field(first, "step") + 50);
      assert.ok(Number.isFinite(field(later, "loss")), later);
      await button(page, "Pause").click();
      assert.deepEqual(await v.problems(), []);
    } finally {
      await v.close();
    }
  });

  it("picking a data set trains with its recipe: the page names it, the controls show it, a fresh model is built, and the URL holds only the data set", async () => {
    const v = await open();
    try {
      const page = v.page;
      await paused(page);
      const note = () => page.$eval(".recipe-note", (e) => e.textContent ?? "");
      assert.match(await note(), /^Recipe for 8 Gaussians: the defaults/);
      await page.getByLabel("Data set", {exact: true}).selectOption({label: "Swiss roll"});
      await page.waitForFunction(() => document.querySelector(".recipe-note")?.textContent?.startsWith("Recipe for Swiss roll: batch 512"));
      assert.equal(await page.$eval('[data-control="batch"] select', (s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? ""), "512");
      await page.waitForFunction(() => document.body.textContent?.includes("New model built with fresh weights"));
      await page.waitForFunction(() => location.search.replace(/(^\?|&)backend=wasm/, "").replace(/^&/, "?") === "?data=swiss-roll");
      // a reload reads the same state back: the recipe's batch, not the defaults'
      await page.reload();
      await until(page, (s) => s.includes("press Train") || s.includes("step"));
      assert.match(await note(), /^Recipe for Swiss roll: batch 512/);
      assert.equal(await page.$eval('[data-control="batch"] select', (s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? ""), "512");
      assert.deepEqual(await v.problems(), []);
    } finally {
      await v.close();
    }
  });

  it("Min-SNR-γ weighting goes into the URL and lowers the loss by t at both ends", async () => {
    const v = await open();
    try {
      const page = v.page;
      await button(page, "Train").click();
      let s = await until(page, (t) => !t.includes("paused") && field(t, "step") > 0);
      s = await until(page, (t) => field(t, "step") > field(s, "step") + 50);
      const plain = await lossByT(page);
      await page.getByLabel("Loss weighting", {exact: true}).selectOption({label: "Min-SNR-γ"});
      await page.waitForFunction(() => /(^\?|&)weighting=min-snr(&|$)/.test(location.search));
      s = await until(page, (t) => field(t, "step") > field(s, "step") + 100);
      const weighted = await lossByT(page);
      await button(page, "Pause").click();
      assert.equal(plain.length, 10);
      assert.equal(weighted.length, 10);
      // γ = 5, v-prediction, cosine T = 100: the weight min(SNR, 5)/(SNR + 1) is ≈ 0.06 in the cleanest
      // tenth and ≈ 0.004 in the noisiest, so those buckets fall by far more than 5×.
      assert.ok(weighted[0] < plain[0] / 5, `first tenth: ${plain[0]} → ${weighted[0]}`);
      assert.ok(weighted[9] < plain[9] / 5, `last tenth: ${plain[9]} → ${weighted[9]}`);
      assert.deepEqual(await v.problems(), []);
    } finally {
      await v.close();
    }
  });
});

describe("/training when the WebGL context is lost", () => {
  const site = useSite();

  it("carries on training on the next backend from the same step, and says so", async () => {
    const v = await visit(site.browser, site.origin, "/training?backend=webgl", {settle: false});
    try {
      const page = v.page;
      await until(page, (s) => s.includes("press Train"));
      await button(page, "Train").click();
      const before = await until(page, (s) => /backend webgl/.test(s) && field(s, "step") > 1000);
      await page.locator("summary").filter({hasText: "GPU goes away"}).click();
      await page.getByRole("button", {name: "Simulate a lost GPU context"}).click();
      await page.waitForFunction(() => document.querySelector(".notices")?.textContent?.includes("training continues on wasm with the same weights"));
      const after = await until(page, (s) => /backend wasm/.test(s) && field(s, "step") > field(before, "step") + 20);
      assert.ok(Number.isFinite(field(after, "loss")) && field(after, "loss") < 5, after);
      assert.deepEqual(await v.problems(), []);
    } finally {
      await v.close();
    }
  });
});
