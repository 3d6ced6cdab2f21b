// /faster as a reader uses it: the build-time run is on show at once (every method on the chart, the
// curvature falling after reflow, samples with their score), the menus and radios work by keyboard
// and land in the URL, Train live trains in the worker with flat tensors and Pause stops it, and the
// page fits a phone. Every test opens the page state it needs.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import type {Page} from "playwright-core";
import {RENDER_EVERYTHING, useSite, visit} from "./harness.js";

const status = (page: Page) => page.$eval(".faster-status", (e) => e.textContent ?? "");
const field = (text: string, pattern: RegExp) => Number(text.match(pattern)?.[1] ?? NaN);
async function until(page: Page, test: (s: string) => boolean, timeout = 120_000): Promise<string> {
  const start = Date.now();
  for (;;) {
    const s = await status(page);
    if (test(s)) return s;
    if (Date.now() - start > timeout) throw new Error(`status stayed "${s}"`);
    await page.waitForTimeout(200);
  }
}

describe("/faster", () => {
  const site = useSite();

  it("shows the build-time run at once: a curve for each of the 7 methods, curvature cut by reflow, and scored samples", async () => {
    const v = await visit(site.browser, site.origin, "/faster");
    await v.page.waitForSelector(".quality-panels .series[data-series=reflow]");
    await v.page.waitForSelector("table.curvature");
    const series = await v.page.$$eval(".quality-panels .series", (g) => g.map((e) => e.getAttribute("data-series")));
    assert.deepEqual([...new Set(series)].sort(), ["cm", "ddim", "ddpm", "dpm", "pd", "reflow", "rf"]);
    const cells = await v.page.$$eval("table.curvature td:nth-child(2)", (td) => td.map((e) => Number(e.textContent)));
    assert.equal(cells.length, 3);
    const [exact, learned, reflowed] = cells;
    assert.ok(Math.abs(learned - exact) < 0.1, `learned ${learned} vs exact ${exact}`);
    assert.ok(reflowed < learned / 5, `reflow ${learned} → ${reflowed}`);
    const heading = await v.page.locator("h2", {hasText: "Progressive distillation at 4 NFE"}).textContent();
    assert.ok(field(heading ?? "", /SW₂ ([\d.]+)/) < 0.15, heading ?? "");
    assert.deepEqual(await v.problems(), []);
    await v.close();
  });

  it("draws rectified flow's learned field as arrows beside the exact one, says how far apart they are, and follows τ from the keyboard into the URL", async () => {
    const v = await visit(site.browser, site.origin, "/faster");
    const error = async () => field(await v.page.$eval(".field-error", (e) => e.textContent ?? ""), /relative error ([\d.]+)/);
    await v.page.waitForSelector(".field-error strong");
    // The build-time flow (800 steps, seed 1) is 0.29 from the exact field at τ = 0.5; the teacher's untrained weights ~1.
    const atHalf = await error();
    assert.ok(atHalf > 0 && atHalf < 0.5, `error ${atHalf}`);
    // Pixels in rectified flow's colour (#efb118): its arrows, on the learned plane's canvas only (paths are SVG).
    const orange = () => v.page.$$eval(".flow-panels canvas", (canvases) => canvases.map((c) => {
      const d = (c as HTMLCanvasElement).getContext("2d")!.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 128 && Math.abs(d[i] - 239) < 30 && Math.abs(d[i + 1] - 177) < 30 && d[i + 2] < 80) ++n;
      return n;
    }));
    const [exactPlane, learnedPlane] = await orange();
    assert.equal(exactPlane, 0);
    assert.ok(learnedPlane > 200, `${learnedPlane} orange pixels`);
    await v.page.getByRole("slider", {name: /τ/}).focus();
    await v.page.keyboard.press("ArrowRight");
    await v.page.locator(".field-error", {hasText: "τ = 0.55"}).waitFor();
    assert.notEqual(await error(), atHalf);
    await v.page.waitForFunction(() => location.search.includes("tau=0.55"));
    assert.deepEqual(await v.problems(), []);
    await v.close();
  });

  it("tabulates every method's SW₂ at each NFE", async () => {
    const v = await visit(site.browser, site.origin, "/faster");
    const rows = await v.page.$$eval(".quality-table tbody tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")));
    assert.equal(rows.length, 7);
    const header = await v.page.$$eval(".quality-table thead th", (ths) => ths.map((th) => th.textContent ?? ""));
    const pd = rows.find((r) => r.includes("Progressive distillation"))!, at4 = header.indexOf("4 NFE");
    assert.ok(at4 > 0 && Number(pd[at4]) < 0.15, `${header} | ${pd}`);
    assert.deepEqual(await v.problems(), []);
    await v.close();
  });

  it("picks another method and NFE by keyboard, and the URL keeps them", async () => {
    const v = await visit(site.browser, site.origin, "/faster");
    await v.page.getByRole("combobox", {name: "Method"}).focus();
    await v.page.keyboard.press("End"); // the last choice: the reflowed flow
    await v.page.getByRole("radio", {name: "1", exact: true}).focus();
    await v.page.keyboard.press("Space");
    await v.page.locator("h2", {hasText: "Rectified flow, reflowed at 1 NFE"}).waitFor();
    await v.page.waitForFunction(() => location.search.includes("method=reflow") && location.search.includes("nfe=1"));
    assert.deepEqual(await v.problems(), []);
    await v.close();
  });

  it("trains live in the worker: the step climbs, tensors stay flat between chunks, and Pause stops it", async () => {
    const v = await visit(site.browser, site.origin, "/faster", {settle: false});
    await v.page.getByRole("button", {name: "Train live"}).click();
    const first = await until(v.page, (s) => /step \d+/.test(s) && field(s, /step (\d+)/) >= 20);
    assert.match(first, /Training Progressive distillation, 64 → 32 steps/);
    // A round is 300 steps in chunks of 10, so step +20 is two chunks later in the same round.
    const later = await until(v.page, (s) => field(s, /step (\d+)/) >= field(first, /step (\d+)/) + 20);
    assert.match(later, /64 → 32 steps/);
    assert.equal(field(later, /(\d+) tensors/), field(first, /(\d+) tensors/), `${first} | ${later}`);
    await v.page.getByRole("button", {name: "Pause / resume"}).click();
    await v.page.waitForTimeout(1500); // a chunk under way when Pause arrived still reports
    const held = await status(v.page);
    await v.page.waitForTimeout(2000);
    assert.equal(await status(v.page), held, "the run went on after Pause");
    assert.deepEqual(await v.problems(), []);
    await v.close();
  });

  it("fits a phone: no sideways scroll at 390 px", async () => {
    const v = await visit(site.browser, site.origin, "/faster", {viewport: {width: 390, height: 844}});
    // Off-screen parts of the page skip rendering (content-visibility), which would also hide their
    // overflow from this check: render everything first.
    await v.page.addStyleTag({content: RENDER_EVERYTHING});
    assert.equal(await v.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), 0);
    await v.close();
  });
});
