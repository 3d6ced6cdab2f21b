// The URL table of /latent: what a link to the chapter reproduces. Each parameter declares its
// input (page/controls.ts builds them).
import {choiceParam, numberParam, textParam} from "../url-state.js";

export const LATENT_STATE = {
  prompt: textParam("a large red circle on the left", {maxLength: 120}, {label: "Prompt", placeholder: "a small blue square at the top", submit: "Generate"}),
  guidance: numberParam(3, {min: 0, max: 10, step: 0.5}, {label: "Guidance weight w"}),
  steps: numberParam(20, {min: 2, max: 50, step: 1}, {label: "Sampling steps"}),
  seed: numberParam(1, {min: 0, max: 999999, step: 1}, {label: "Seed", kind: "number"}),
  space: choiceParam("latent", ["latent", "pixel"] as const, {label: "Diffusion in", kind: "radio", labels: {latent: "latent space", pixel: "pixel space"}}),
  backend: choiceParam("auto", ["auto", "webgpu", "webgl", "wasm", "cpu"] as const),
};
