import {describe, it} from "node:test";
import assert from "node:assert/strict";
import {booleanParam, choiceParam, formatState, numberParam, readState} from "../components/url-state.js";

const table = {
  data: choiceParam("moons", ["moons", "ring", "spiral"] as const),
  t: numberParam(0, {min: 0, max: 1000, step: 1}),
  lr: numberParam(3e-3, {min: 1e-5, max: 10}),
  ema: booleanParam(true),
};

describe("url-state", () => {
  it("readState takes valid values and keeps defaults for the rest", () => {
    const {values, rejected} = readState(table, "?data=ring&t=250&lr=0.01&ema=false");
    assert.deepEqual(values, {data: "ring", t: 250, lr: 0.01, ema: false});
    assert.deepEqual(rejected, []);
  });

  it("falls back to defaults for nonsense, out-of-range and unknown parameters, and says which", () => {
    const {values, rejected} = readState(table, "?data=%3Cscript%3E&t=5000&lr=NaN&ema=maybe&zoom=3");
    assert.deepEqual(values, {data: "moons", t: 0, lr: 3e-3, ema: true});
    assert.equal(rejected.length, 5);
    assert.match(rejected.join("\n"), /t=5000 is not valid; using 0/);
    assert.match(rejected.join("\n"), /zoom is not a setting of this page/);
  });

  it("rounds to the step and rejects empty values", () => {
    assert.equal(readState(table, "?t=12.6").values.t, 13);
    assert.deepEqual(readState(table, "?t=").rejected, ["t= is not valid; using 0"]);
  });

  it("formatState writes only non-defaults, and reading it back gives the same values", () => {
    const values = {data: "spiral" as const, t: 0, lr: 0.0005, ema: true};
    const search = formatState(table, values);
    assert.equal(search, "?data=spiral&lr=0.0005");
    assert.deepEqual(readState(table, search).values, values);
    assert.equal(formatState(table, {data: "moons", t: 0}), "");
  });
});
