// /score as a reader uses it: the t slider redraws the field, both Langevin chains run to the end
// and annealing gets the 80/20 mode weights closer than plain Langevin, the learned field loads,
// and under reduced motion nothing runs until asked. Probing the field twice gives two readouts, and
// probing it ten times adds no listener.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import type {Page} from "playwright-core";
import {canvasHashes, changed, liveListeners, trackListeners, usePage, visit} from "./harness.js";

const hash = async (page: Page, index: number) => (await canvasHashes(page, ".plane canvas"))[index];
/** The probe table's header ("at the probe x = (…), t = …") and its score row. */
const probeReadout = (page: Page) => page.$$eval(".readouts", (tables) => {
  const table = tables[0];
  const score = [...table.querySelectorAll("tr")].find((r) => r.querySelector("td")?.textContent?.trim().startsWith("score"))?.querySelectorAll("td")[1]?.textContent ?? "";
  return {header: table.querySelector("th")?.textContent ?? "", score: score.trim()};
});
/** Clicks the score field at a fraction (fx, fy) of its width and height. */
const probeAt = async (page: Page, fx: number, fy: number) => {
  const box = (await page.locator(".plane canvas").first().boundingBox())!;
  await page.mouse.click(box.x + fx * box.width, box.y + fy * box.height);
};
const statuses = (page: Page) => page.$$eval("p[role=status]", (ps) => ps.map((p) => p.textContent ?? ""));

describe("/score", () => {
  const site = usePage("/score?steps=200", {beforeLoad: trackListeners, ready: (page) => page.waitForSelector(".plane canvas")});

  it("two probes of the field show two different readouts, each at the point pressed", async () => {
    const start = await probeReadout(site.v.page);
    await probeAt(site.v.page, 0.7, 0.3);
    const first = await changed(() => probeReadout(site.v.page), start);
    await probeAt(site.v.page, 0.3, 0.75);
    const second = await changed(() => probeReadout(site.v.page), first);
    assert.notEqual(first.score, second.score);
    // Right of and above the centre, then left of and below it: the probe's coordinates follow.
    const [x1, y1] = first.header.match(/\((-?[\d.]+), (-?[\d.]+)\)/)!.slice(1).map(Number);
    const [x2, y2] = second.header.match(/\((-?[\d.]+), (-?[\d.]+)\)/)!.slice(1).map(Number);
    assert.ok(x1 > 0 && y1 > 0 && x2 < 0 && y2 < 0, `probes at (${x1}, ${y1}) and (${x2}, ${y2})`);
  });

  it("ten probes leave the planes with as many pointer listeners as before", async () => {
    const before = await liveListeners(site.v.page, ".plane canvas", "pointer");
    for (let i = 0; i < 10; ++i) {
      const shown = await probeReadout(site.v.page);
      await probeAt(site.v.page, 0.2 + 0.06 * i, 0.6 - 0.04 * i);
      await changed(() => probeReadout(site.v.page), shown);
    }
    assert.equal(await liveListeners(site.v.page, ".plane canvas", "pointer"), before);
  });

  it("the probe moves from the keyboard too: → on the probe-x slider moves it right by one step", async () => {
    const coords = (r: {header: string}) => r.header.match(/\((-?[\d.]+), (-?[\d.]+)\)/)!.slice(1).map(Number);
    const before = await probeReadout(site.v.page);
    await site.v.page.focus("input[type=range][aria-label='probe x']");
    await site.v.page.keyboard.press("ArrowRight");
    const [[x0, y0], [x1, y1]] = [coords(before), coords(await changed(() => probeReadout(site.v.page), before))];
    assert.ok(x1 > x0 && x1 - x0 <= 0.1 + 1e-9, `probe x went from ${x0} to ${x1}`);
    assert.equal(y1, y0);
  });

  it("warns of no divergence at the default step size", async () => {
    assert.equal(await site.v.page.$$eval(".langevin-warning", (w) => w.length), 0);
  });

  it("past the annealed chain's stable step size it warns, and the chain is seen to diverge", async () => {
    const v = await visit(site.browser, site.origin, "/score?steps=200&delta=-1.2");
    const warning = await v.page.waitForSelector(".langevin-warning");
    assert.match(await warning.textContent() ?? "", /annealed chain diverges.*stable for log₁₀ δ < −1\.40/);
    await v.page.waitForFunction(() => [...document.querySelectorAll("p[role=status]")].some((p) => p.textContent?.startsWith("after 200 steps") && p.textContent.includes("diverged")), null, {timeout: 30_000});
    await v.close();
  });

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
