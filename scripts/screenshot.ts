// Screenshots of built pages as a reader sees them: `npx tsx scripts/screenshot.ts /forward /score`
// writes .screenshots/<page>-desktop.png and -phone.png (390 px wide). Run `npm run build` first.
import {mkdirSync} from "node:fs";
import {launchChromium} from "../test/browser/chromium.js";
import {serve} from "../test/browser/serve.js";
import {RENDER_EVERYTHING, visit} from "../test/browser/harness.js";

const paths = process.argv.slice(2).filter((a) => a.startsWith("/"));
const wait = Number(process.env.WAIT ?? 2000);
const {server, origin} = await serve();
const browser = await launchChromium();
mkdirSync(".screenshots", {recursive: true});
for (const path of paths.length ? paths : ["/"]) {
  for (const [label, viewport] of [["desktop", {width: 1280, height: 900}], ["phone", {width: 390, height: 844}]] as const) {
    const v = await visit(browser, origin, path, {viewport});
    await v.page.waitForTimeout(wait);
    const file = `.screenshots/${path === "/" ? "index" : path.slice(1)}-${label}.png`;
    // SELECTOR=… shoots just the last element that matches (e.g. one section of a long page).
    const target = process.env.SELECTOR ? v.page.locator(process.env.SELECTOR).last() : null;
    if (target) await target.screenshot({path: file});
    else {
      // A full-page shot is taken in one go: parts a page lets skip rendering off screen
      // (content-visibility, on /faster) are rendered first, as they are when a reader scrolls to them.
      await v.page.addStyleTag({content: RENDER_EVERYTHING});
      await v.page.screenshot({path: file, fullPage: true});
    }
    const problems = await v.problems();
    console.log(file, problems.length ? problems : "clean");
    await v.close();
  }
}
await browser.close();
server.close();
