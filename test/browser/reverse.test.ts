// /reverse as a reader uses it: the page loads clean, a point picked by pointer or by keyboard changes
// the readouts and the URL, the KL of DDPM's Gaussian to the exact step read off the page is larger at
// 5 steps than at 1000, the variance comparison fills in, and a phone shows it without sideways scroll.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import type {Page} from "playwright-core";
import {changed, usePage, visit} from "./harness.js";

/** The exact column of the four-units table and the step panels' KL captions, as the reader sees them. */
const readouts = (page: Page) => page.evaluate(() => ({
  units: [...document.querySelectorAll(".readouts table")].map((t) => t.textContent ?? "").join(" "),
  kl: [...document.querySelectorAll("figure.reverse-step figcaption")].map((c) => c.textContent ?? ""),
}));

/** The KL to DDPM's β̃ Gaussian printed under the panel of `steps` steps. */
async function klAt(page: Page, steps: number): Promise<number> {
  const text = await page.locator(`figure.reverse-step[data-steps="${steps}"] figcaption`).innerText();
  const m = text.match(/KL to N\(μ, β̃I\): ([\d.e+-]+)/);
  assert.ok(m, `no KL in "${text}"`);
  return Number(m[1]);
}

describe("/reverse", () => {
  // Generous waits: the page starts a worker and integrates on load, and CI machines are shared.
  const site = usePage("/reverse", {settle: false, ready: (page) => page.waitForSelector("figure.reverse-step[data-kl]", {timeout: 90_000})});

  it("shows the exact reverse step at 1000, 100, 20 and 5 steps, with the KL larger at 5 steps than at 1000", async () => {
    const {page} = site.v;
    assert.equal(await page.locator("figure.reverse-step").count(), 4);
    const [fine, coarse] = [await klAt(page, 1000), await klAt(page, 5)];
    assert.ok(fine > 0 && coarse > 100 * fine, `KL at 1000 steps ${fine}, at 5 steps ${coarse}`);
  });

  it("picking a point with the pointer changes the readouts, the step panels and the URL", async () => {
    const {page} = site.v, before = await readouts(page);
    await page.locator(".point-picker").scrollIntoViewIfNeeded();
    const box = (await page.locator(".point-picker canvas").boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.7);
    // The table and the step panels are separate cells: wait for each to redraw.
    await changed(() => readouts(page).then((r) => r.units), before.units);
    await changed(() => readouts(page).then((r) => r.kl), before.kl);
    await page.waitForFunction(() => new URLSearchParams(location.search).has("at"));
  });

  it("picking a point with the keyboard alone changes the readouts", async () => {
    const {page} = site.v;
    await page.locator(".point-picker").focus();
    const before = await readouts(page), label = await page.locator(".point-picker").getAttribute("aria-label");
    for (let i = 0; i < 4; ++i) await page.keyboard.press("Shift+ArrowRight");
    await changed(() => readouts(page).then((r) => r.units), before.units);
    await changed(() => readouts(page).then((r) => r.kl), before.kl);
    assert.notEqual(await page.locator(".point-picker").getAttribute("aria-label"), label, "the picker's label names the new point");
  });

  it("the trained network answers at the picked point", async () => {
    await site.v.page.waitForFunction(() => [...document.querySelectorAll("[role=status]")].some((s) => s.textContent?.includes("asked at its own timestep")), null, {timeout: 60_000});
    const cells = await site.v.page.locator(".readouts table").last().locator("td").allInnerTexts();
    assert.ok(!cells.includes("…"), `network column still pending: ${cells.join(" ")}`);
  });

  it("compares the three reverse variances by sample quality, with β̃ furthest from the data at 3 steps", async () => {
    const {page} = site.v;
    await page.locator(".quality-chart").scrollIntoViewIfNeeded();
    const summary = await page.waitForFunction(() => {
      const text = [...document.querySelectorAll("[role=status]")].map((s) => s.textContent ?? "").find((t) => t.startsWith("At 3 steps"));
      return text && !text.includes("…") ? text : null;
    }, null, {timeout: 120_000});
    const text = String(await summary.jsonValue());
    const value = (label: string) => Number(text.split(label)[1].trim().split(" ")[0]);
    assert.ok(value("σ² = β̃") > value("σ² = β "), text);
  });

  it("shows no console error, error cell, failed or off-site request", async () => {
    assert.deepEqual(await site.v.problems(), []);
  });

  it("fits a 390 px phone without sideways scroll, and a tap picks a point", async () => {
    const v = await visit(site.browser, site.origin, "/reverse", {viewport: {width: 390, height: 844}, settle: false});
    await v.page.waitForSelector("figure.reverse-step[data-kl]", {timeout: 90_000});
    const overflow = await v.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await v.page.locator(".point-picker").scrollIntoViewIfNeeded();
    const before = await readouts(v.page), box = (await v.page.locator(".point-picker canvas").boundingBox())!;
    await v.page.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.25);
    await changed(() => readouts(v.page).then((r) => r.kl), before.kl);
    const problems = await v.problems();
    await v.close();
    assert.ok(overflow <= 1, `page is ${overflow} px wider than the phone`);
    assert.deepEqual(problems, []);
  });
});
