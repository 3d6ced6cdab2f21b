// KaTeX from node_modules with its stylesheet and fonts served by the site itself: Framework's built-in
// `tex` fetches KaTeX from a CDN (ENVIRONMENT.md), so pages import this one instead.
import katex from "katex";
import {css} from "./vendor/katex-assets.js";
import {useStyle} from "./stylesheet.js";

function render(displayMode: boolean, strings: TemplateStringsArray, values: unknown[]): HTMLElement {
  useStyle("katex-css", css);
  const source = String.raw(strings, ...values);
  const element = document.createElement(displayMode ? "div" : "span");
  element.className = displayMode ? "tex-block" : "tex";
  katex.render(source, element, {displayMode, throwOnError: true, output: "htmlAndMathml"});
  return element;
}

/** Inline math: tex`\bar\alpha_t` → a span typeset by KaTeX. */
export function tex(strings: TemplateStringsArray, ...values: unknown[]): HTMLElement {
  return render(false, strings, values);
}

/** Display math: texBlock`x_t = …` → a centred block typeset by KaTeX. */
export function texBlock(strings: TemplateStringsArray, ...values: unknown[]): HTMLElement {
  return render(true, strings, values);
}
