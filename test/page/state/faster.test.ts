// /faster's URL table and the reducer that turns the suite's events into what the page shows.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import {defaults, formatState, readState} from "../../../components/page/url-state.js";
import {fasterTable} from "../../../components/page/state/faster.js";
import {addEvent, emptyResults, measuredAt, qualitySeries, resultsOf} from "../../../components/page/faster-results.js";
import {FASTER_METHODS, METHOD_INFO, methodByKey, type FasterMethod, type SuiteEvent} from "../../../components/model/faster-config.js";

describe("page/state/faster", () => {
  it("declares an input for every setting and reads a link to each non-default value back unchanged", () => {
    assert.deepEqual(Object.entries(fasterTable).filter(([, p]) => !p.control).map(([k]) => k), []);
    const link = "?method=reflow&nfe=1&tau=0.25&seed=7";
    assert.equal(formatState(fasterTable, readState(fasterTable, link).values), link);
    assert.deepEqual(readState(fasterTable, "?nfe=3").rejected, ["nfe=3 is not valid; using 4"]);
    assert.deepEqual(defaults(fasterTable), {method: "pd", nfe: "4", tau: 0.5, seed: 1});
  });

  it("gives every method a distinct key that maps back to it", () => {
    const keys = FASTER_METHODS.map((m) => METHOD_INFO[m].key);
    assert.equal(new Set(keys).size, FASTER_METHODS.length);
    for (const m of FASTER_METHODS) assert.equal(methodByKey(METHOD_INFO[m].key), m);
  });
});

describe("faster-results", () => {
  const q = (method: FasterMethod, nfe: number, sw: number, ms: number): SuiteEvent =>
    ({type: "quality", method, nfe, sw, ms, x: new Float64Array([nfe, sw])});

  it("keeps each method's measurements sorted by NFE and finds the nearest NFE in log terms", () => {
    const r = resultsOf([q("DDIM", 8, 0.2, 30), q("DDIM", 1, 1, 4), q("DDIM", 2, 0.5, 8)]);
    assert.deepEqual(r.quality.get("DDIM")!.map((p) => p.nfe), [1, 2, 8]);
    assert.equal(measuredAt(r, "DDIM", 4)!.nfe, 2); // |log 4/2| = |log 4/8|: the first wins
    assert.equal(measuredAt(r, "DDIM", 6)!.nfe, 8);
    assert.equal(measuredAt(r, "DDPM", 4), null);
  });

  it("plots against ms only the points that have a time (build-time points come without)", () => {
    const r = resultsOf([q("DDIM", 1, 1, NaN), q("DDIM", 2, 0.5, 8)]);
    const [byMs] = qualitySeries(r, "ms"), [byNfe] = qualitySeries(r, "nfe");
    assert.deepEqual(byMs.points.map((p) => [p.nfe, p.steps]), [[8, 2]]);
    assert.deepEqual(byNfe.points.map((p) => p.nfe), [1, 2]);
  });

  it("starts a new loss curve when the round changes and records rounds, curvature and the floor", () => {
    const r = emptyResults();
    for (const e of [
      {type: "floor", value: 0.08},
      {type: "progress", method: "Progressive distillation", round: "64 → 32 steps", step: 10, steps: 300, loss: 0.01, losses: new Float32Array(0)},
      {type: "progress", method: "Progressive distillation", round: "32 → 16 steps", step: 10, steps: 300, loss: 0.02, losses: new Float32Array(0)},
      {type: "round-end", method: "Progressive distillation", round: "32 → 16 steps", steps: 300, firstLoss: 0.02, lastLoss: 0.003, ms: 4000},
      {type: "curvature", method: "Rectified flow", value: 0.46},
    ] as SuiteEvent[]) addEvent(r, e);
    assert.deepEqual([r.loss?.round, r.loss?.values], ["32 → 16 steps", [0.02]]);
    assert.equal(r.rounds.length, 1);
    assert.equal(r.curvature["Rectified flow"], 0.46);
    assert.equal(r.floor, 0.08);
  });
});
