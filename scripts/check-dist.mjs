// Fails the build when dist/ would ship a broken page. `observable build` exits 0 even when a cell
// fails to compile or an import is left unresolved (as Framework 1.13 does offline), so we scan the output:
// - an error cell (class observablehq--error) in any page, named with its page and cell;
// - an import specifier in any page or module that is neither relative nor site-absolute
//   (a bare "htl" the browser cannot resolve, or an off-site https:// URL);
// - a page that loads the TensorFlow.js bundle (components/vendor/tfjs) on its main thread: models
//   run in the training worker, and the bundle is over 1 MB a page would fetch for nothing.
import {readFileSync, readdirSync, statSync} from "node:fs";
import {join, relative} from "node:path";

const root = process.argv[2] ?? "dist";
const files = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? files(path) : [path];
});

const problems = [];
const all = files(root);
for (const path of all.filter((p) => p.endsWith(".html"))) {
  const html = readFileSync(path, "utf8");
  // Error cells carry no id: name them by their ordinal among the page's cells and nearest heading.
  for (const match of html.matchAll(/observablehq--error[^>]*>([^<]*)</g)) {
    const before = html.slice(0, match.index);
    const n = before.split('class="observablehq observablehq--block"').length - 1;
    const heading = [...before.matchAll(/<h[1-6][^>]*id="([^"]+)"/g)].pop()?.[1] ?? "top";
    problems.push(`${relative(root, path)}: cell ${n} (after #${heading}) is an error: ${match[1].trim()}`);
  }
  // Framework lists every module a page imports, directly or not, as a modulepreload link.
  if (/\/vendor\/tfjs\.[0-9a-f]+\.js/.test(html)) problems.push(`${relative(root, path)}: loads TensorFlow.js (vendor/tfjs) on the main thread; only the training worker may import it`);
}

const specifier = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])([^"'\s]+)\1/g;
const local = (s) => s.startsWith("./") || s.startsWith("../") || s.startsWith("/");
for (const path of all.filter((p) => /\.(html|js)$/.test(p) && !p.includes("/_observablehq/"))) {
  const text = readFileSync(path, "utf8");
  for (const [, , spec] of text.matchAll(specifier)) {
    if (!local(spec)) problems.push(`${relative(root, path)}: unresolved or off-site import "${spec}"`);
  }
}

if (problems.length) {
  console.error(`check-dist: ${problems.length} problem(s) in ${root}/:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`check-dist: ${all.filter((p) => p.endsWith(".html")).length} pages, no error cell, every import local, no tfjs on a main thread`);
