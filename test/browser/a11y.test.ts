// A reader-first audit of every built page: axe-core finds no serious or critical accessibility
// violation, every canvas has a text alternative, and nothing is wider than a 390 px phone.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {createRequire} from "node:module";
import {RENDER_EVERYTHING, builtPages, useSite, visit} from "./harness.js";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const pages = builtPages();

interface Violation { id: string; impact: string; help: string; nodes: {target: string[]}[] }

describe("accessibility and phone width", () => {
  const site = useSite();

  for (const path of pages) {
    for (const [label, viewport] of [["desktop", {width: 1280, height: 900}], ["phone", {width: 390, height: 844}]] as const) {
      it(`${path} at ${label} width: no serious or critical axe violation, labelled canvases, no sideways scroll`, async () => {
        const v = await visit(site.browser, site.origin, path, {viewport});
        await v.page.waitForTimeout(1500);
        await v.page.addScriptTag({content: axeSource});
        const violations = (await v.page.evaluate(async () => {
          const result = await (window as unknown as {axe: {run(o: object): Promise<{violations: unknown[]}>}}).axe.run({
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
          });
          return result.violations;
        })) as Violation[];
        const serious = violations.filter((x) => x.impact === "serious" || x.impact === "critical")
          .map((x) => `${x.id} (${x.impact}): ${x.help} — ${x.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
        const unlabelled = await v.page.$$eval("canvas", (cs) => cs.filter((c) => !c.getAttribute("aria-label") && c.getAttribute("aria-hidden") !== "true").length);
        // Parts a page lets skip rendering off screen (content-visibility, on /faster) would hide their width: render everything first.
        await v.page.addStyleTag({content: RENDER_EVERYTHING});
        const overflow = await v.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        await v.close();
        assert.deepEqual(serious, []);
        assert.equal(unlabelled, 0, "canvases without aria-label");
        assert.ok(overflow <= 1, `page is ${overflow} px wider than the viewport`);
      });
    }
  }
});
