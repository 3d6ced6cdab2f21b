import {describe, it} from "node:test";
import assert from "node:assert/strict";
import {markovChain, walkLines} from "../../components/math/markov-chain.js";
import {makeSchedule, alphaBarAfter} from "../../components/math/schedules.js";

describe("markovChain", () => {
  const schedule = makeSchedule("linear", 1000);

  it("after k steps matches q(x_k | x0): mean √ᾱ·x0 and variance 1−ᾱ (100k coordinates)", () => {
    const n = 50_000, d = 2, x0 = new Float64Array(n * d).fill(1.5);
    const chain = markovChain(x0, d, schedule, 7);
    for (const k of [1, 10, 200, 1000]) {
      const x = chain.at(k), ab = alphaBarAfter(schedule, k);
      let sum = 0, sq = 0;
      for (const v of x) { sum += v; sq += v * v; }
      const mean = sum / x.length, variance = sq / x.length - mean * mean;
      // Standard errors at 100k draws: mean √((1−ᾱ)/1e5) ≤ 0.0032, variance (1−ᾱ)·√(2/1e5) ≤ 0.0045.
      assert.ok(Math.abs(mean - 1.5 * Math.sqrt(ab)) < 0.015, `k=${k}: mean ${mean}`);
      assert.ok(Math.abs(variance - (1 - ab)) < 0.02 * Math.max(1 - ab, 0.05), `k=${k}: variance ${variance} vs ${1 - ab}`);
    }
  });

  it("gives the same cloud at the same k whichever way it is scrubbed", () => {
    const x0 = Float64Array.from({length: 200}, (_, i) => Math.sin(i));
    const chain = markovChain(x0, 2, schedule, 3, 10);
    const forward = Float64Array.from(chain.at(537));
    chain.at(999); chain.at(3);
    assert.deepEqual(Float64Array.from(chain.at(537)), forward);
    assert.deepEqual(Float64Array.from(markovChain(x0, 2, schedule, 3, 10).at(537)), forward);
  });

  it("walk(i, k) retraces point i of the cloud (to float32 rounding of the checkpoints)", () => {
    const x0 = Float64Array.from({length: 100}, (_, i) => i / 50 - 1);
    const chain = markovChain(x0, 2, schedule, 11);
    const path = chain.walk(17, 300);
    for (const k of [0, 1, 150, 300]) {
      const x = chain.at(k);
      assert.ok(Math.abs(path[2 * k] - x[34]) < 1e-5 && Math.abs(path[2 * k + 1] - x[35]) < 1e-5, `k=${k}`);
    }
  });

  it("uses different noise for different seeds", () => {
    const x0 = new Float64Array(20);
    assert.notDeepEqual(Float64Array.from(markovChain(x0, 2, schedule, 1).at(5)), Float64Array.from(markovChain(x0, 2, schedule, 2).at(5)));
  });

  it("walkLines gives each 1D point's walk as (k, x_k) for k = 0..T, the chain's own walk", () => {
    const x0 = Float64Array.from([-1, 0.5, 2]), lines = walkLines(x0, schedule, 5);
    const chain = markovChain(x0, 1, schedule, 5);
    assert.equal(lines.length, 3);
    for (const [i, line] of lines.entries()) {
      assert.equal(line.length, 2 * 1001);
      const walk = chain.walk(i, 1000);
      for (const k of [0, 1, 500, 1000]) assert.deepEqual([line[2 * k], line[2 * k + 1]], [k, walk[k]]);
    }
  });
});
