// The Latent diffusion chapter's URL table: a link carries prompt, guidance, seed, steps and space
// both ways; out-of-range values fall back to the defaults with a note.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import {formatState, readState} from "../../../components/page/url-state.js";
import {LATENT_STATE} from "../../../components/page/state/latent.js";

describe("latent chapter URL state", () => {
  it("reads a link to every non-default setting and writes it back unchanged", () => {
    const link = "?prompt=small+blue+square+top&guidance=5.5&steps=12&seed=42&space=pixel";
    const {values, rejected} = readState(LATENT_STATE, link);
    assert.deepEqual(rejected, []);
    assert.deepEqual([values.prompt, values.guidance, values.steps, values.seed, values.space], ["small blue square top", 5.5, 12, 42, "pixel"]);
    assert.equal(formatState(LATENT_STATE, values), link);
  });

  it("refuses guidance, steps and seed outside their ranges and a prompt over 120 characters", () => {
    const {values, rejected} = readState(LATENT_STATE, `?guidance=11&steps=1&seed=-1&prompt=${"a".repeat(121)}`);
    assert.deepEqual([values.guidance, values.steps, values.seed, values.prompt], [3, 20, 1, "a large red circle on the left"]);
    assert.equal(rejected.length, 4);
  });

  it("declares an input for every setting but the backend", () => {
    assert.deepEqual(Object.entries(LATENT_STATE).filter(([, p]) => !p.control).map(([k]) => k), ["backend"]);
  });
});
