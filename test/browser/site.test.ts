// Every page of the built site opens clean: no error cell, no console error, no failed request,
// no request that leaves the site, and KaTeX typesets where the page has math.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import {readdirSync} from "node:fs";
import {useSite, visit} from "./harness.js";

const pages = readdirSync("dist").filter((f) => f.endsWith(".html"))
  .map((f) => (f === "index.html" ? "/" : `/${f.slice(0, -5)}`));

describe("every built page opens clean", () => {
  const site = useSite();

  it("finds the pages in dist/", () => assert.ok(pages.length >= 1, "no pages built"));

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
