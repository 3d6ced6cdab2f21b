// Observable Inputs from node_modules with its stylesheet: the implicit `Inputs` comes from a CDN.
import * as Inputs from "@observablehq/inputs";
import {useStylesheet} from "./stylesheet.js";

useStylesheet("inputs-css", import.meta.resolve("@observablehq/inputs/dist/index.css"));

export {Inputs};
