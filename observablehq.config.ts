import {existsSync} from "node:fs";
import {CHAPTERS, pageFile} from "./components/page/chapters.js";

// Only chapters whose page exists are listed (no stubs); the Overview is the home link.
const written = CHAPTERS.filter((c) => c.path !== "/" && existsSync(pageFile(c)));

export default {
  title: "Diffusion Lab",
  root: "src",
  pages: written.map((c) => ({name: c.title, path: c.path})),
  // The default global stylesheet requests a web font from Google; the site makes no off-site request.
  globalStylesheets: [],
  // Light and dark themes by the reader's preference, plus the site's few rules.
  style: "style.css",
  search: false,
  // Framework 1.13 writes <html> without a language and puts the sidebar's close control inside its
  // list; both fail accessibility audits, so the page fixes them as it loads.
  head: `<link rel="icon" href="data:,">
<script>document.documentElement.lang = "en";
addEventListener("DOMContentLoaded", () => {
  const close = document.getElementById("observablehq-sidebar-close");
  if (close && close.parentElement.tagName === "OL") close.parentElement.before(close);
});</script>`,
  footer: "Diffusion Lab — every number on these pages is computed in your browser.",
};
