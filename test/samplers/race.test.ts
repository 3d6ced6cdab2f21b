// Samplers raced under one NFE clock.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {placings, race, scoreLanes, type RaceSnapshot} from "../../components/samplers/race.js";
import {modeWidth} from "../../components/samplers/quality-sweep.js";
import {makeSchedule} from "../../components/math/schedules.js";
import {samplerByName} from "../../components/samplers/index.js";
import {exactDenoiser, mixtureByName} from "../../components/math/mixture.js";
import {runOptions, startNoise} from "../../components/samplers/sampling-plan.js";

const schedule = makeSchedule("cosine", 100);
const den = exactDenoiser(mixtureByName("ring"), schedule);
const xT = startNoise(30, 2);
const settings = (steps: number) => runOptions({steps, eta: 0, variance: "betaTilde", seed: 2});
const racer = (name: string, steps: number) => ({name, states: samplerByName(name).steps(den, schedule, xT, settings(steps))});

async function all(states: AsyncGenerator<RaceSnapshot, void, void>) {
  const out: {clock: number; nfe: (number | undefined)[]; finished: (number | null)[]}[] = [];
  let last: RaceSnapshot | undefined;
  for await (const s of states) {
    out.push({clock: s.clock, nfe: s.lanes.map((l) => l.state?.nfe), finished: s.lanes.map((l) => l.finishedAt)});
    last = s;
  }
  return {ticks: out, last: last!};
}

describe("race", () => {
  it("race ends when every lane is done, each at its sampler's NFE, on the samples its run gives alone", async () => {
    const {ticks, last} = await all(race([racer("ddim", 10), racer("heun", 4), racer("dpm-solver++", 6)]));
    assert.equal(last.done, true);
    assert.deepEqual(last.lanes.map((l) => l.finishedAt), [10, 7, 6]);
    assert.equal(ticks.at(-1)!.clock, 10);
    // Racing does not change a sampler's answer: same x_T, same options, same final points.
    for (const [name, steps, lane] of [["ddim", 10, 0], ["heun", 4, 1], ["dpm-solver++", 6, 2]] as const) {
      const alone = await samplerByName(name).run(den, schedule, xT, settings(steps));
      assert.deepEqual(last.lanes[lane].state!.x, alone.x, name);
    }
  });

  it("race never lets a lane spend more than the clock, except by a Heun step's second evaluation", async () => {
    const {ticks} = await all(race([racer("ddim", 8), racer("heun", 5)]));
    assert.deepEqual(ticks[0].nfe, [0, 0]); // the start is shown before anything is spent
    for (const t of ticks.slice(1)) {
      assert.equal(t.nfe[0], Math.min(t.clock, 8));
      // Heun: 2 evaluations per step, the last step 1 (2·5 − 1 = 9 in all).
      assert.ok(t.nfe[1]! >= Math.min(t.clock, 9) && t.nfe[1]! <= Math.min(t.clock + 1, 9), `clock ${t.clock}: Heun at ${t.nfe[1]}`);
    }
  });

  it("race with nfePerTick = 5 takes a fifth of the ticks", async () => {
    const {ticks, last} = await all(race([racer("ddim", 20)], {nfePerTick: 5}));
    assert.deepEqual(ticks.map((t) => t.clock), [0, 5, 10, 15, 20]);
    assert.equal(last.lanes[0].finishedAt, 20);
  });

  it("race closes every generator when the consumer stops early", async () => {
    const r = [racer("ddim", 50), racer("euler", 50)];
    for await (const s of race(r)) if (s.clock === 3) break;
    for (const {states} of r) assert.equal((await states.next()).done, true);
  });

  it("placings orders finished lanes by NFE; ties share a place and keep the racers' order", () => {
    const lane = (name: string, finishedAt: number | null) => ({name, state: null, finishedAt});
    assert.deepEqual(placings([lane("ddpm", 100), lane("ddim", 50), lane("euler", 50), lane("dpm", 20), lane("heun", null)]), [
      {name: "dpm", nfe: 20, place: 1},
      {name: "ddim", nfe: 50, place: 2},
      {name: "euler", nfe: 50, place: 2},
      {name: "ddpm", nfe: 100, place: 4},
    ]);
  });

  it("scoreLanes scores each lane's final samples and measures their mode width, by lane name", async () => {
    const {last} = await all(race([racer("ddim", 10), racer("dpm-solver++", 6)]));
    const means = mixtureByName("ring").means;
    const measured = await scoreLanes(last.lanes, (x) => x.length + x[0], means);
    for (const lane of last.lanes) {
      const x = lane.state!.x;
      assert.deepEqual(measured[lane.name], {sw: x.length + x[0], width: modeWidth(x, means)});
    }
    // Exact samples of the ring sit on its modes: about the data's own width of 0.1.
    assert.ok(measured.ddim.width > 0.03 && measured.ddim.width < 0.3, `width ${measured.ddim.width}`);
  });
});
