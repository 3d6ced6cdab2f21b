// What /faster shows from the suite's events: the quality table's cells and the learned field at τ.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {addEvent, emptyResults, learnedFieldAt, qualityRows} from "../../components/page/faster-results.js";
import {FIELD_TAUS} from "../../components/model/faster-config.js";

describe("qualityRows", () => {
  it("gives one row per measured method in legend order, 'SW₂ · ms' per NFE when timed, SW₂ alone when not, empty when not measured", () => {
    const r = emptyResults(), x = new Float64Array(4);
    addEvent(r, {type: "quality", method: "Consistency model", nfe: 1, sw: 0.1071, ms: 21.7, x});
    addEvent(r, {type: "quality", method: "DDIM", nfe: 4, sw: 0.14649, ms: NaN, x});
    addEvent(r, {type: "quality", method: "DDIM", nfe: 64, sw: 0.0961, ms: 607.6, x});
    const rows = qualityRows(r);
    assert.deepEqual(rows.map((row) => row.method), ["DDIM", "Consistency model"]);
    assert.equal(rows[0]["4"], "0.146");
    assert.equal(rows[0]["64"], "0.096 · 608 ms");
    assert.equal(rows[0]["1"], "");
    assert.equal(rows[1]["1"], "0.107 · 22 ms");
  });
});

describe("learnedFieldAt", () => {
  it("returns the field at the τ of FIELD_TAUS nearest the one asked for, and null before a field arrived", () => {
    const r = emptyResults();
    assert.equal(learnedFieldAt(r, "Rectified flow", 0.5), null);
    // Each τ's field filled with its own τ, so the one returned says which it is.
    addEvent(r, {type: "field", method: "Rectified flow", velocity: FIELD_TAUS.map((tau) => Float64Array.of(tau, tau))});
    assert.equal(learnedFieldAt(r, "Rectified flow", 0.5)![0], 0.5);
    assert.equal(learnedFieldAt(r, "Rectified flow", 0.52)![0], 0.5);
    assert.equal(learnedFieldAt(r, "Rectified flow", 1)![0], 1);
    assert.equal(learnedFieldAt(r, "Rectified flow", 0.01)![0], 0.05);
    assert.equal(learnedFieldAt(r, "Rectified flow, reflowed", 0.5), null);
  });
});
