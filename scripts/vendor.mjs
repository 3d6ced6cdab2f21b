// Pre-bundles TensorFlow.js core and its four backends into components/vendor/tfjs.js (git-ignored).
// Skips the work when the bundle is newer than package-lock.json and this script.
import {build} from "esbuild";
import {statSync} from "node:fs";

const out = "components/vendor/tfjs.js";
const mtime = (path) => { try { return statSync(path).mtimeMs; } catch { return 0; } };
const inputs = ["package-lock.json", "scripts/bundle-tfjs.mjs", "scripts/tfjs-entry.js", "scripts/util-shim.js"];
if (mtime(out) > Math.max(...inputs.map(mtime))) process.exit(0);

await build({
  entryPoints: ["scripts/tfjs-entry.js"],
  outfile: out,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2020",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  plugins: [{
    name: "util-shim",
    setup(b) { b.onResolve({filter: /^util$/}, () => ({path: new URL("./util-shim.js", import.meta.url).pathname})); },
  }],
});
console.log(`bundled ${out} (${(statSync(out).size / 1e6).toFixed(2)} MB)`);
