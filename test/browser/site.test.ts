// The built site as a whole: every chapter of components/page/chapters.ts whose page is written is
// built and linked from the sidebar, nothing else is built, and every built page opens clean (no
// error cell, console error, failed request or request that leaves the site).
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import {existsSync} from "node:fs";
import {CHAPTERS, pageFile} from "../../components/page/chapters.js";
import {builtPages, useSite, visit} from "./harness.js";

const pages = builtPages();
const written = CHAPTERS.filter((c) => existsSync(pageFile(c))).map((c) => c.path);

describe("the built site", () => {
  const site = useSite();

  it("builds exactly the written chapters", () => {
    assert.ok(written.length >= 2, `only ${written.length} chapters written`);
    assert.deepEqual([...pages].sort(), [...written].sort());
  });

  it("links every written chapter from the sidebar, and each link opens", async () => {
    const v = await visit(site.browser, site.origin, "/");
    const linked = await v.page.$$eval("#observablehq-sidebar a[href]", (as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
    await v.close();
    for (const path of written) assert.ok(linked.includes(path), `${path} is written but not in the sidebar`);
    for (const path of written) assert.equal((await fetch(site.origin + path)).status, 200, path);
  });

  for (const path of pages) {
    it(`${path} shows no error cell, console error, failed or off-site request`, async () => {
      const v = await visit(site.browser, site.origin, path);
      await v.page.waitForTimeout(1000); // let late cells (tfjs backends, fonts) finish
      const problems = await v.problems();
      await v.close();
      assert.deepEqual(problems, []);
    });
  }
});
