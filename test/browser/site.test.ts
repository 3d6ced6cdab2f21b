// Every page of the built site opens clean: no error cell, no console error, no failed request,
// no request that leaves the site, and KaTeX typesets where the page has math.
import {after, before, describe, it} from "node:test";
import assert from "node:assert/strict";
import type {Browser} from "playwright-core";
import type {Server} from "node:http";
import {readdirSync} from "node:fs";
import {launchChromium} from "./chromium.js";
import {serve} from "./serve.js";
import {visit} from "./harness.js";

const pages = readdirSync("dist").filter((f) => f.endsWith(".html"))
  .map((f) => (f === "index.html" ? "/" : `/${f.slice(0, -5)}`));

describe("every built page opens clean", () => {
  let browser: Browser, server: Server, origin: string;
  before(async () => { ({server, origin} = await serve()); browser = await launchChromium(); });
  after(async () => { await browser?.close(); server?.close(); });

  it("finds the pages in dist/", () => assert.ok(pages.length >= 1, "no pages built"));

  for (const path of pages) {
    it(`${path} shows no error cell, console error, failed or off-site request`, async () => {
      const v = await visit(browser, origin, path);
      await v.page.waitForTimeout(1000); // let late cells (tfjs backends, fonts) finish
      const problems = await v.problems();
      await v.close();
      assert.deepEqual(problems, []);
    });
  }
});
