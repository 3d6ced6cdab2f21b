// Observable Inputs from node_modules with its stylesheet: the implicit `Inputs` comes from a CDN.
import * as ObservableInputs from "@observablehq/inputs";
import {useStylesheet} from "./stylesheet.js";

useStylesheet("inputs-css", import.meta.resolve("@observablehq/inputs/dist/index.css"));

type Options = Record<string, unknown> | undefined;

/**
 * Inputs.range with both of its controls named: Observable's <label> points at the number box only,
 * leaving the slider unlabelled for screen readers (an axe "critical" finding).
 */
function range(extent?: [number, number], options?: Options) {
  const element = ObservableInputs.range(extent, options);
  const label = typeof options?.label === "string" ? options.label : element.querySelector("label")?.textContent ?? "";
  element.querySelector("input[type=range]")?.setAttribute("aria-label", label);
  return element;
}

export const Inputs = {...ObservableInputs, range};
