// /latent as a reader uses it: the shipped models draw 16 images for the default prompt on load;
// typing a prompt (with the keyboard alone) draws new ones; the guidance slider changes them; an
// unknown word is refused with a message naming the known words; the URL carries prompt, guidance,
// seed and steps both ways; at phone width nothing scrolls sideways; and no console error appears.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import type {Page} from "playwright-core";
import {canvasHashes, usePage} from "./harness.js";

const GENERATED = 'canvas[aria-label^="16 images generated"]';
const SAMPLED = /Sampled and decoded in (\d+) ms/;

/** The "Sampled and decoded" line, which changes with every new set of images. */
const sampledLine = (page: Page) => page.evaluate(() => [...document.querySelectorAll("p")].map((p) => p.textContent ?? "").find((t) => /Sampled and decoded in/.test(t)) ?? "");

async function nextImages(page: Page, before: string, timeout = 60_000): Promise<string> {
  await page.waitForFunction((b) => {
    const t = [...document.querySelectorAll("p")].map((p) => p.textContent ?? "").find((t) => /Sampled and decoded in/.test(t));
    return t !== undefined && t !== b;
  }, before, {timeout});
  return sampledLine(page);
}

const ready = (page: Page) => page.waitForFunction(() => [...document.querySelectorAll("p")].some((p) => /Sampled and decoded in/.test(p.textContent ?? "")), null, {timeout: 120_000});

/** Records, before the page loads, every text the Generated card's loading note shows while visible. */
const recordSamplingNotes = (page: Page) => page.addInitScript(() => {
  const seen: string[] = [];
  (window as unknown as {samplingNotes: string[]}).samplingNotes = seen;
  new MutationObserver(() => {
    for (const note of document.querySelectorAll<HTMLElement>(".sampling-note")) {
      const text = note.textContent ?? "";
      if (!note.hidden && text && seen.at(-1) !== text) seen.push(text);
    }
  }).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
});

describe("/latent", () => {
  const site = usePage("/latent?backend=wasm", {ready, settle: false, beforeLoad: recordSamplingNotes});

  it("says what it is loading, and on which backend, until the first images arrive", async () => {
    const page = site.v.page;
    const seen = await page.evaluate(() => (window as unknown as {samplingNotes: string[]}).samplingNotes);
    assert.ok(seen.some((t) => /Loading the site's models on wasm/.test(t)), `notes seen: ${JSON.stringify(seen)}`);
    assert.ok(seen.some((t) => /Sampling 16 images on wasm/.test(t)), `notes seen: ${JSON.stringify(seen)}`);
    assert.equal(await page.$eval(".sampling-note", (n) => (n as HTMLElement).hidden), true, "the note stays after the images arrived");
  });

  it("draws 16 images for the default prompt from the shipped models on first load", async () => {
    const page = site.v.page;
    assert.match(await sampledLine(page), SAMPLED);
    assert.equal(await page.$$eval(GENERATED, (c) => c.length), 1);
    const [hash] = await canvasHashes(page, GENERATED);
    const blank = await page.$eval(GENERATED, (c) => {
      const canvas = c as HTMLCanvasElement;
      const d = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
      let lit = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] > 150) ++lit;
      return lit;
    });
    assert.ok(blank > 100, `only ${blank} bright pixels in the generated grid`);
    assert.ok(Number.isFinite(hash));
  });

  it("typing a prompt with the keyboard and pressing Enter draws new images and tokens", async () => {
    const page = site.v.page;
    const before = await sampledLine(page);
    const hashes = await canvasHashes(page, GENERATED);
    const box = page.getByRole("textbox", {name: "Prompt"});
    await box.focus();
    await page.keyboard.press("Control+A");
    await page.keyboard.type("a small blue square at the top");
    await page.keyboard.press("Enter");
    await nextImages(page, before);
    assert.notDeepEqual(await canvasHashes(page, GENERATED), hashes);
    const chips = await page.$eval('[aria-label="Tokens of the prompt"]', (e) => e.textContent ?? "");
    for (const w of ["small", "blue", "square", "top"]) assert.ok(chips.includes(w), chips);
    assert.match(await page.evaluate(() => location.search), /prompt=a\+small\+blue\+square\+at\+the\+top/);
  });

  it("moving the guidance slider draws the prompt again with the new weight and puts it in the URL", async () => {
    const page = site.v.page;
    const before = await sampledLine(page);
    const hashes = await canvasHashes(page, GENERATED);
    const slider = page.getByRole("slider", {name: "Guidance weight w"});
    await slider.focus();
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    await nextImages(page, before);
    assert.notDeepEqual(await canvasHashes(page, GENERATED), hashes);
    await page.waitForFunction(() => /guidance=2(&|$)/.test(location.search));
  });

  it("refuses an unknown word with a message naming the known words, keeping the last images", async () => {
    const page = site.v.page;
    const hashes = await canvasHashes(page, GENERATED);
    const box = page.getByRole("textbox", {name: "Prompt"});
    await box.fill("a huge red circle");
    await box.press("Enter");
    const alert = page.getByRole("alert").filter({hasText: "“huge” is not in the vocabulary"}).first();
    await alert.waitFor();
    const text = await alert.textContent() ?? "";
    for (const w of ["small", "large", "red", "purple", "circle", "ring", "left", "bottom"]) assert.ok(text.includes(w), `message lacks ${w}: ${text}`);
    assert.deepEqual(await canvasHashes(page, GENERATED), hashes, "the images changed although the prompt was refused");
    await box.fill("");
    await box.press("Enter");
    await page.getByRole("alert").filter({hasText: "names nothing to draw"}).first().waitFor();
  });

  it("times pixel against latent space in the browser when section 6 scrolls into view", async () => {
    const page = site.v.page;
    await page.getByRole("heading", {name: /Why latent/}).scrollIntoViewIfNeeded();
    const table = page.locator("table", {hasText: "pixel ÷ latent"});
    await table.waitFor({timeout: 120_000});
    const rows = await table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")));
    for (const [i, name] of ["latent", "pixel"].entries()) {
      assert.equal(rows[i][0], name === "latent" ? "64" : "768", `${name} values per image`);
      for (const col of [2, 3]) assert.ok(Number(rows[i][col]) > 0, `${name} column ${col}: ${rows[i][col]}`);
    }
    // Quality against training time: each build-measured point, with this browser's seconds.
    const quality = page.locator("table", {hasText: "training time here"});
    const points = await quality.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [tr.querySelector("th")?.textContent ?? "", ...[...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")]));
    assert.ok(points.some((r) => r[0] === "latent space") && points.filter((r) => r[0] === "pixel space").length >= 2, JSON.stringify(points));
    for (const r of points) {
      assert.ok(Number(r[2]) > 0, `training seconds: ${r}`);
      assert.match(r[3], /^\d+\s%$/, `prompt accuracy from the build: ${r}`);
    }
    const verdict = await quality.locator("xpath=following-sibling::p[1]").textContent() ?? "";
    assert.match(verdict, /(needed [\d,]+ steps to read prompts as well|has not caught up)/, verdict);
  });

  it("shows no console error, error cell or off-site request", async () => {
    assert.deepEqual(await site.v.problems(), []);
  });
});

describe("/latent from a link", () => {
  const site = usePage("/latent?backend=wasm&prompt=green+triangle+right&guidance=5&seed=42&steps=12", {ready, settle: false});

  it("takes prompt, guidance, seed and steps from the URL", async () => {
    const page = site.v.page;
    assert.equal(await page.getByRole("textbox", {name: "Prompt"}).inputValue(), "green triangle right");
    assert.equal(await page.getByRole("slider", {name: "Guidance weight w"}).inputValue(), "5");
    assert.equal(await page.getByRole("slider", {name: "Sampling steps"}).inputValue(), "12");
    assert.equal(await page.getByRole("spinbutton", {name: "Seed"}).inputValue(), "42");
    assert.match(await page.locator("h3", {hasText: "green triangle right"}).first().textContent() ?? "", /w = 5 · 12 DDIM steps/);
  });

  it("writes a changed seed and step count back to the URL, keeping the rest", async () => {
    const page = site.v.page;
    const seed = page.getByRole("spinbutton", {name: "Seed"});
    await seed.fill("43");
    await seed.press("Enter");
    const steps = page.getByRole("slider", {name: "Sampling steps"});
    await steps.focus();
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction(() => /seed=43(&|$)/.test(location.search) && /steps=13(&|$)/.test(location.search));
    const search = await page.evaluate(() => location.search);
    assert.match(search, /prompt=green\+triangle\+right/);
    assert.match(search, /guidance=5(&|$)/);
  });
});

describe("/latent at phone width", () => {
  const site = usePage("/latent?backend=wasm", {ready, settle: false, viewport: {width: 390, height: 844}});

  it("has no sideways scroll and the images fit the screen", async () => {
    const page = site.v.page;
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth) <= 1);
    const box = await page.locator(GENERATED).boundingBox();
    assert.ok(box && box.width <= 390, `grid is ${box?.width} px wide`);
    assert.deepEqual(await site.v.problems(), []);
  });
});
