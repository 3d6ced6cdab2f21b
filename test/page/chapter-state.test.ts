// The URL tables of /forward and /score: every setting has one input, t is a playable scrubber over
// the whole process, and links written before the tables moved into page/state still read the same.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import {defaults, formatState, readState} from "../../components/page/url-state.js";
import {forwardTable} from "../../components/page/state/forward.js";
import {scoreTable} from "../../components/page/state/score.js";

describe("page/state/forward and page/state/score", () => {
  it("declare an input for every setting, t as a scrubber over [0, 1000] in whole steps", () => {
    for (const table of [forwardTable, scoreTable]) {
      assert.deepEqual(Object.entries(table).filter(([, p]) => !p.control).map(([k]) => k), []);
      assert.deepEqual([table.t.min, table.t.max, table.t.step, table.t.control?.kind], [0, 1000, 1, "scrubber"]);
    }
  });

  it("read a link to every non-default setting back unchanged, and refuse what is out of range", () => {
    const forward = "?data=swiss-roll&schedule=cosine&n=20000&t=300&data1d=uniform";
    assert.equal(formatState(forwardTable, readState(forwardTable, forward).values), forward);
    const score = "?mixture=anisotropic&t=600&langevin=ring&delta=-1.2&steps=2000";
    assert.equal(formatState(scoreTable, readState(scoreTable, score).values), score);
    assert.deepEqual(readState(scoreTable, "?delta=-0.5&steps=3000").rejected, ["delta=-0.5 is not valid; using -2.5", "steps=3000 is not valid; using 500"]);
    assert.deepEqual(readState(forwardTable, "?n=10000").rejected, ["n=10000 is not valid; using 5000"]);
  });

  it("default to the settings the pages were written for", () => {
    assert.deepEqual(defaults(forwardTable), {data: "moons", schedule: "linear", n: "5000", t: 0, data1d: "bimodal"});
    assert.deepEqual(defaults(scoreTable), {mixture: "ring", t: 100, langevin: "two-modes", delta: -2.5, steps: 500});
  });
});
