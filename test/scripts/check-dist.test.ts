// The post-build check must fail on what `observable build` lets through: it exits 0 with error cells
// and unresolved imports in dist/.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import {mkdtempSync, mkdirSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {spawnSync} from "node:child_process";

function check(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "dist-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), {recursive: true});
    writeFileSync(join(dir, path), text);
  }
  return spawnSync("node", ["scripts/check-dist.mjs", dir], {encoding: "utf8"});
}

const page = (body: string) => `<html><body><h1 id="top-heading">T</h1>${body}</body></html>`;

describe("check-dist", () => {
  it("passes a page whose imports are all local", () => {
    const r = check({"a.html": page(`<script type="module">import {x} from "./_import/x.js"; await import("/_node/d3@7/index.js");</script>`), "_import/x.js": `export * from "../_node/y.js";`});
    assert.equal(r.status, 0, r.stderr);
  });

  it("fails on an error cell and names the page, the cell and the message", () => {
    const r = check({"forward.html": page(`<div class="observablehq observablehq--block"></div><div class="observablehq observablehq--block"><div class="observablehq--inspect observablehq--error">SyntaxError: Unexpected token (1:10)</div></div>`)});
    assert.equal(r.status, 1);
    assert.match(r.stderr, /forward\.html: cell 2 \(after #top-heading\) is an error: SyntaxError: Unexpected token/);
  });

  it("fails on a page that loads the tfjs bundle on its main thread, and passes a module that only the worker imports", () => {
    const r = check({
      "sampling.html": page(`<link rel="modulepreload" href="./_import/components/vendor/tfjs.94efcfb1.js">`),
      "score.html": page(`<link rel="modulepreload" href="./_import/components/worker/training-session.76e39564.js">`),
      "_import/components/worker/training-worker.3df71b90.js": `import * as tf from "../vendor/tfjs.94efcfb1.js";`,
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /sampling\.html: loads TensorFlow\.js \(vendor\/tfjs\) on the main thread/);
    assert.doesNotMatch(r.stderr, /score\.html|training-worker/);
  });

  it("fails on a bare import left unresolved and on an off-site import", () => {
    const r = check({"a.html": page(`<script type="module">import {html} from "htl";</script>`), "_import/m.js": `const k = await import("https://cdn.example/katex.js");`});
    assert.equal(r.status, 1);
    assert.match(r.stderr, /a\.html: unresolved or off-site import "htl"/);
    assert.match(r.stderr, /_import\/m\.js: unresolved or off-site import "https:\/\/cdn\.example\/katex\.js"/);
  });
});
