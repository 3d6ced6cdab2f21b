// /training as a reader uses it: Train moves the step counter and the loss, Pause stops them,
// Step takes one step, a bad weights file is refused and the model kept, and memory stays flat.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import type {Page} from "playwright-core";
import {usePage} from "./harness.js";

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

describe("/training", () => {
  // wasm keeps the test quick and deterministic on a machine without a GPU.
  const site = usePage("/training?backend=wasm", {ready: (page) => until(page, (s) => s.includes("press Train") || s.includes("step"))});

  it("has buttons named Train, Pause, Step and Reset", async () => {
    for (const name of ["Train", "Pause", "Step", "Reset"]) {
      assert.equal(await site.v.page.getByRole("button", {name, exact: true}).count(), 1, name);
    }
  });

  it("Train makes the step counter and loss move; Pause stops them", async () => {
    await site.v.page.getByRole("button", {name: "Train", exact: true}).click();
    const first = await until(site.v.page, (s) => field(s, "step") > 0);
    const later = await until(site.v.page, (s) => field(s, "step") > field(first, "step") + 20);
    assert.notEqual(field(later, "loss"), field(first, "loss"));
    assert.match(later, /backend wasm/);
    await site.v.page.getByRole("button", {name: "Pause", exact: true}).click();
    const paused = await until(site.v.page, (s) => s.includes("paused"));
    await site.v.page.waitForTimeout(1500);
    assert.equal(field(await status(site.v.page), "step"), field(paused, "step"), "steps continued after Pause");
  });

  it("Step takes exactly one step", async () => {
    const before = field(await status(site.v.page), "step");
    await site.v.page.getByRole("button", {name: "Step", exact: true}).click();
    const after = await until(site.v.page, (s) => field(s, "step") !== before);
    assert.equal(field(after, "step"), before + 1);
  });

  it("keeps tf.memory().numTensors flat across training chunks", async () => {
    await site.v.page.getByRole("button", {name: "Train", exact: true}).click();
    const a = await until(site.v.page, (s) => !s.includes("paused") && field(s, "step") > 0);
    const b = await until(site.v.page, (s) => field(s, "step") > field(a, "step") + 100);
    await site.v.page.getByRole("button", {name: "Pause", exact: true}).click();
    assert.equal(field(b, "tensors"), field(a, "tensors"));
  });

  it("refuses a malformed weights file with a clear message and keeps the model", async () => {
    await until(site.v.page, (s) => s.includes("paused"));
    const before = field(await status(site.v.page), "step");
    await site.v.page.setInputFiles('input[type=file]', {name: "bad.json", mimeType: "application/json", buffer: Buffer.from('{"format": "something else"}')});
    const note = await site.v.page.waitForFunction(() => [...document.querySelectorAll("[role=status]")].map((e) => e.textContent).find((t) => t?.includes("not a Diffusion Lab weights file")));
    assert.match(String(await note.jsonValue()), /current model is unchanged/);
    assert.equal(field(await status(site.v.page), "step"), before);
  });

  it("a learning rate of 10 diverges: training stops itself, says so, and keeps the last good step", async () => {
    const page = site.v.page;
    // From fresh weights, as in the Node test: the warm-up reaches lr = 10 within 20 steps.
    await page.getByRole("button", {name: "Reset", exact: true}).click();
    await until(page, (s) => field(s, "step") === 0);
    const before = 0;
    await page.getByRole("slider", {name: "log₁₀ learning rate"}).fill("1");
    await page.getByRole("slider", {name: "log₁₀ learning rate"}).dispatchEvent("input");
    await page.waitForTimeout(300);
    await page.getByRole("button", {name: "Train", exact: true}).click();
    const warning = await page.waitForFunction(() => document.querySelector(".notices")?.textContent?.match(/Training stopped: .*/)?.[0], null, {timeout: 60_000});
    assert.match(String(await warning.jsonValue()), /restored/);
    const after = await until(page, (s) => s.includes("paused"));
    assert.ok(field(after, "step") >= before && Number.isFinite(field(after, "step")), after);
    await page.getByRole("slider", {name: "log₁₀ learning rate"}).fill("-2");
    await page.getByRole("slider", {name: "log₁₀ learning rate"}).dispatchEvent("input");
  });

  it("asks for a drawing when “Draw your own” is empty, and trains on one once drawn", async () => {
    const page = site.v.page;
    await page.getByLabel("Data set", {exact: true}).selectOption({label: "Draw your own…"});
    await page.waitForFunction(() => document.body.textContent?.includes("The drawing is empty"));
    const pad = page.getByRole("img", {name: /Drawing area/});
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
    await page.mouse.down();
    for (let i = 0; i <= 30; ++i) await page.mouse.move(box.x + box.width * (0.3 + 0.4 * i / 30), box.y + box.height * (0.5 - 0.2 * Math.sin(i / 5)));
    await page.mouse.up();
    await page.waitForFunction(() => /\d+ points drawn: the model trains on them/.test(document.body.textContent ?? ""));
  });

  it("shows no console error, error cell or off-site request", async () => {
    assert.deepEqual(await site.v.problems(), []);
  });
});

describe("/training when the WebGL context is lost", () => {
  const site = usePage("/training?backend=webgl", {ready: (page) => until(page, (s) => s.includes("press Train"))});

  it("carries on training on the next backend from the same step, and says so", async () => {
    const page = site.v.page;
    await page.getByRole("button", {name: "Train", exact: true}).click();
    const before = await until(page, (s) => /backend webgl/.test(s) && field(s, "step") > 1000);
    await page.locator("summary").filter({hasText: "GPU goes away"}).click();
    await page.getByRole("button", {name: "Simulate a lost GPU context"}).click();
    await page.waitForFunction(() => document.querySelector(".notices")?.textContent?.includes("training continues on wasm with the same weights"));
    const after = await until(page, (s) => /backend wasm/.test(s) && field(s, "step") > field(before, "step") + 20);
    assert.ok(Number.isFinite(field(after, "loss")) && field(after, "loss") < 5, after);
    assert.deepEqual(await site.v.problems(), []);
  });
});
