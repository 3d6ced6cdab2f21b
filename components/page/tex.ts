// KaTeX from node_modules with its stylesheet and fonts served by the site itself: Framework's built-in
// `tex` fetches KaTeX from a CDN, which fails offline (at build and in the browser), so pages import
// this one instead.
import katex from "katex";
import {css} from "../vendor/katex-assets.js";
import {useStyle} from "./stylesheet.js";

function render(displayMode: boolean, strings: TemplateStringsArray, values: unknown[]): HTMLElement {
  useStyle("katex-css", css);
  const source = String.raw(strings, ...values);
  const element = document.createElement(displayMode ? "div" : "span");
  element.className = displayMode ? "tex-block" : "tex";
  katex.render(source, element, {displayMode, throwOnError: true, output: "htmlAndMathml"});
  if (displayMode) keyboardScrollable(element);
  return element;
}

/**
 * A display equation wider than a phone scrolls sideways; while it does, it takes keyboard focus so
 * it can be scrolled without a pointer (and says what it is).
 */
function keyboardScrollable(element: HTMLElement): void {
  const check = () => {
    if (element.scrollWidth > element.clientWidth) {
      element.tabIndex = 0;
      element.setAttribute("role", "group");
      element.setAttribute("aria-label", "equation (scrolls sideways)");
    } else {
      element.removeAttribute("tabindex");
      element.removeAttribute("role");
      element.removeAttribute("aria-label");
    }
  };
  // The box changes size when the page reflows; the equation's width changes when KaTeX's fonts
  // arrive, which resizes the typeset child but not the box, so both are observed.
  check();
  if (typeof ResizeObserver !== "undefined") {
    const observer = new ResizeObserver(check);
    observer.observe(element);
    for (const child of element.children) observer.observe(child);
  }
  const fonts = document.fonts;
  if (!fonts) return;
  const onFonts = () => (element.isConnected ? check() : fonts.removeEventListener("loadingdone", onFonts));
  fonts.addEventListener("loadingdone", onFonts);
  void fonts.ready.then(check);
}

/** Inline math: tex`\bar\alpha_t` → a span typeset by KaTeX. */
export function tex(strings: TemplateStringsArray, ...values: unknown[]): HTMLElement {
  return render(false, strings, values);
}

/** Display math: texBlock`x_t = …` → a centred block typeset by KaTeX. */
export function texBlock(strings: TemplateStringsArray, ...values: unknown[]): HTMLElement {
  return render(true, strings, values);
}
