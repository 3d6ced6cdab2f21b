import {describe, it} from "node:test";
import assert from "node:assert/strict";
import {booleanParam, choiceParam, defaults, formatState, numberParam, readState} from "../../components/page/url-state.js";

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

describe("url-state tables describe their inputs", () => {
  it("numberParam and choiceParam carry the range, choices and control that page/controls.ts builds from", () => {
    const lr = numberParam(-2, {min: -5, max: 1, step: 0.1}, {label: "log₁₀ learning rate"});
    assert.deepEqual([lr.min, lr.max, lr.step, lr.control], [-5, 1, 0.1, {kind: "range", label: "log₁₀ learning rate", log: undefined}]);
    const p = choiceParam("v", ["eps", "x0", "v"] as const, {label: "Predicts", labels: {eps: "noise ε"}});
    assert.deepEqual(p.choices, ["eps", "x0", "v"]);
    assert.equal(p.control?.kind, "select");
    assert.equal(numberParam(1).control, undefined, "no control unless one is asked for");
  });

  it("defaults(table) are the values readState gives for an empty query", () => {
    assert.deepEqual(defaults(table), readState(table, "").values);
  });
});
