// The Reverse process chapter's URL table: the picked point round-trips through the URL, bad links
// fall back with a note, and the t slider keeps every drawn stride on a noisy state.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import {formatState, readState} from "../../../components/page/url-state.js";
import {pointParam, reverseTable, REVERSE_T, STEP_COUNTS} from "../../../components/page/state/reverse.js";

describe("reverse chapter URL state", () => {
  it("reads and writes the picked point as x,y with two decimals", () => {
    const {values, rejected} = readState(reverseTable, "?at=-1.234,0.5&t=600&steps=10&mixture=two-modes");
    assert.deepEqual(rejected, []);
    assert.deepEqual(values.at, [-1.23, 0.5]);
    assert.equal(formatState(reverseTable, values), "?mixture=two-modes&t=600&at=-1.23%2C0.5&steps=10");
  });

  it("refuses points off the plane or malformed, and t below the coarsest stride", () => {
    for (const raw of ["abc", "4,0", "1", "1,2,3", ",1", "NaN,1"]) assert.equal(pointParam([0, 0]).parse(raw), undefined, raw);
    const {values, rejected} = readState(reverseTable, `?at=9,9&t=${REVERSE_T / Math.min(...STEP_COUNTS) - 1}`);
    assert.deepEqual(values.at, reverseTable.at.default);
    assert.equal(values.t, reverseTable.t.default);
    assert.equal(rejected.length, 2);
  });
});
