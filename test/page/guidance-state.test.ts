// The guidance chapter's URL table: a link's values come back, bad ones fall back with a note.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {defaults, formatState, readState} from "../../components/page/url-state.js";
import {GUIDANCE_DATA, guidanceTable} from "../../components/page/state/guidance.js";
import {LABELLED} from "../../components/math/labelled.js";

describe("guidanceTable", () => {
  it("offers every ready-made labelled set and the reader's drawing", () => {
    assert.deepEqual([...GUIDANCE_DATA], [...LABELLED.map((l) => l.name), "drawn"]);
  });

  it("round-trips a link: data set, class, w below zero, t₀ and the known x₁", () => {
    const values = {...defaults(guidanceTable), data: "moons" as const, c: 1, w: -0.5, t0: 40, x1: -1.25};
    const {values: back, rejected} = readState(guidanceTable, formatState(guidanceTable, values));
    assert.deepEqual(rejected, []);
    assert.deepEqual(back, values);
  });

  it("refuses w below −1 (no longer a mix of the two predictions) and a class past the eighth", () => {
    const {values, rejected} = readState(guidanceTable, "?w=-2&c=8&resample=0");
    assert.equal(values.w, 3);
    assert.equal(values.c, 0);
    assert.equal(values.resample, 1);
    assert.equal(rejected.length, 3);
  });
});
