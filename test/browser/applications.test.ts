// /applications: opens clean, every internal link lands on a built page, chapters not yet written
// are named rather than linked, and every paper cited in the text is in the reference list.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import {CHAPTERS} from "../../components/page/chapters.js";
import {builtPages, usePage} from "./harness.js";

const built = () => new Set(builtPages());

/**
 * (first author's surname, year) of every citation in `text` written as the page writes them:
 * "Ho et al. 2022", "Dhariwal & Nichol (2021)", "Song, Meng & Ermon 2021", "Saharia et al. 2022a".
 */
function citations(text: string): string[] {
  const name = "[A-Z][\\p{L}'’-]+";
  const pattern = new RegExp(`(${name}) et al\\.,? \\(?(\\d{4})|(${name})(?:, ${name})* & ${name},? \\(?(\\d{4})`, "gu");
  return [...text.matchAll(pattern)].map((m) => `${m[1] ?? m[3]} ${m[2] ?? m[4]}`);
}

/** (first author's surname, year) of a reference-list entry: "Austin, Johnson, … 2021. Title…". */
function reference(entry: string): string {
  const surname = entry.match(/^[^\s,&]+/)?.[0], year = entry.match(/\b(\d{4})[ab]?\./)?.[1];
  return `${surname} ${year}`;
}

describe("/applications", () => {
  const site = usePage("/applications", {ready: async (page) => { await page.waitForSelector(".references li"); }});

  it("resolves every internal link to a built page", async () => {
    const hrefs = await site.v.page.$$eval("a[href]", (as) => as.map((a) => (a as HTMLAnchorElement).href));
    const internal = [...new Set(hrefs.filter((h) => h.startsWith(site.origin)).map((h) => h.split("#")[0]))];
    const pages = built();
    assert.ok(internal.length > 5, `only ${internal.length} internal links`);
    for (const url of internal) {
      const path = new URL(url).pathname;
      assert.ok(pages.has(path), `${path} is not a built page`);
      assert.equal((await site.v.page.request.get(url)).status(), 200, url);
    }
  });

  it("links the written demos it cites and names the unwritten ones without a link", async () => {
    const pages = built();
    const main = await site.v.page.$eval("#observablehq-main", (m) => m.textContent ?? "");
    const linked = new Set(await site.v.page.$$eval("#observablehq-main a[href]", (as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname)));
    for (const path of ["/forward", "/schedules", "/score", "/training", "/sampling", "/guidance", "/latent", "/faster"]) {
      const {title} = CHAPTERS.find((c) => c.path === path)!;
      if (pages.has(path)) assert.ok(linked.has(path), `${title} is written but not linked`);
      else {
        assert.ok(!linked.has(path), `${title} is linked but not built`);
        assert.ok(main.includes(`${title} (chapter not written yet)`), `${title} not named as unwritten`);
      }
    }
  });

  it("lists every paper cited in the text among its references", async () => {
    const body = await site.v.page.$eval("#observablehq-main", (m) => {
      const copy = m.cloneNode(true) as HTMLElement;
      copy.querySelector(".references")?.remove();
      return copy.textContent?.replace(/\s+/g, " ") ?? "";
    });
    const references = await site.v.page.$$eval(".references li", (lis) => lis.map((li) => li.textContent ?? ""));
    const listed = new Set(references.map(reference));
    const cited = [...new Set(citations(body))];
    assert.ok(cited.length > 40, `found only ${cited.length} citations`);
    assert.deepEqual(cited.filter((c) => !listed.has(c)), [], "cited in the text but missing from the references");
  });

  it("shows no error cell, console error or off-site request", async () => {
    assert.deepEqual(await site.v.problems(), []);
  });
});
