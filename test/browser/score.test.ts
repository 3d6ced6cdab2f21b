// /score as a reader uses it: the t slider redraws the field, both Langevin chains run to the end
// and annealing gets the 80/20 mode weights closer than plain Langevin, the learned field loads,
// and under reduced motion nothing runs until asked.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import type {Page} from "playwright-core";
import {canvasHashes, changed, usePage} from "./harness.js";

const hash = async (page: Page, index: number) => (await canvasHashes(page, ".plane canvas"))[index];
const statuses = (page: Page) => page.$$eval("p[role=status]", (ps) => ps.map((p) => p.textContent ?? ""));

describe("/score", () => {
  const site = usePage("/score?steps=200", {ready: (page) => page.waitForSelector(".plane canvas")});

  it("moving t redraws the score field", async () => {
    const before = await hash(site.v.page, 0);
    await site.v.page.$eval(".scrubber input[type=range]", (input) => {
      (input as HTMLInputElement).value = "600";
      input.dispatchEvent(new Event("input", {bubbles: true}));
    });
    await changed(() => hash(site.v.page, 0), before);
  });

  it("both Langevin chains finish, and annealing lands nearer the 80% mode weight", async () => {
    await site.v.page.waitForFunction(() => [...document.querySelectorAll("p[role=status]")].filter((p) => p.textContent?.startsWith("after 200 steps")).length === 2, null, {timeout: 30_000});
    const [plain, annealed] = (await statuses(site.v.page)).filter((s) => s.startsWith("after 200 steps")).map((s) => Number(s.match(/(\d+)% of particles/)![1]));
    assert.ok(Math.abs(annealed - 80) < Math.abs(plain - 80), `plain ${plain}%, annealed ${annealed}%`);
  });

  it("shows the learned score's relative error against the exact one", async () => {
    const note = await site.v.page.waitForFunction(() => [...document.querySelectorAll("p[role=status]")].map((p) => p.textContent).find((t) => t?.includes("learned score differs")), null, {timeout: 30_000});
    const percent = Number(String(await note.jsonValue()).match(/by (\d+)%/)![1]);
    assert.ok(percent < 60, `learned score is ${percent}% off the exact one`);
  });

  it("shows no console error, error cell or off-site request", async () => {
    assert.deepEqual(await site.v.problems(), []);
  });

  it("with reduced motion the Langevin chains wait at step 0 for the button", async () => {
    const context = await site.browser.newContext({reducedMotion: "reduce"});
    const page = await context.newPage();
    await page.goto(`${site.origin}/score?steps=200`, {waitUntil: "networkidle"});
    await page.waitForTimeout(2000);
    const chains = (await statuses(page)).filter((s) => s.startsWith("after"));
    await context.close();
    assert.deepEqual(chains.map((s) => s.split(":")[0]), ["after 0 steps", "after 0 steps"]);
  });
});
