// What classifier-free guidance buys and costs with the exact conditional model, over several seeds:
// for each labelled set, sampler and weight w, the fraction of samples in the asked-for class (class 0),
// their spread against the class's own (entropy ratio, class-metrics.ts) and the fraction past the
// class's 99% region. Prints a markdown table of mean ± standard deviation over seeds.
//   npx tsx scripts/guidance-table.ts [--seeds 1,2,3,4,5] [--n 1000] [--ws -1,0,1,3,5,10]
import {parseArgs} from "node:util";
import {LABELLED, labelledByName} from "../components/math/labelled.js";
import {exactConditionalDenoiser} from "../components/math/classifier.js";
import {classYardstick} from "../components/math/class-metrics.js";
import {makeSchedule} from "../components/math/schedules.js";
import {classifierFree} from "../components/samplers/guidance.js";
import {GUIDED_SAMPLERS, guidanceSweep, type GuidancePoint} from "../components/samplers/guided-runs.js";
import {DEFAULT_SCHEDULE} from "../components/model/defaults.js";

const {values} = parseArgs({options: {seeds: {type: "string", default: "1,2,3,4,5"}, n: {type: "string", default: "1000"}, ws: {type: "string", default: "-1,0,1,3,5,10"}}});
const seeds = values.seeds.split(",").map(Number), n = Number(values.n), ws = values.ws.split(",").map(Number);
const schedule = makeSchedule(DEFAULT_SCHEDULE.name, DEFAULT_SCHEDULE.T);
const c = 0;

const stats = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
  return {m, sd};
};
const show = (xs: number[], digits: number, scale = 1) => {
  const {m, sd} = stats(xs.map((x) => x * scale));
  return `${m.toFixed(digits)} ± ${sd.toFixed(digits)}`;
};

console.log(`Exact conditional model, ${DEFAULT_SCHEDULE.name} T = ${DEFAULT_SCHEDULE.T}, ${n} samples per run, class 0, seeds ${seeds.join(",")}; mean ± sd over seeds.\n`);
console.log("| data | sampler | w | in class (%) | spread vs class | past the class's 99% region (%) |");
console.log("|---|---|---|---|---|---|");
for (const {name} of LABELLED) {
  const lm = labelledByName(name), model = exactConditionalDenoiser(lm, schedule);
  const runs: GuidancePoint[][] = [];
  for (const seed of seeds) {
    const points: GuidancePoint[] = [];
    const yardstick = classYardstick(lm, c, n, 1000 + seed);
    for await (const p of guidanceSweep({guide: (w) => classifierFree(model, {c, w}), schedule, lm, c, yardstick, ws, samplers: GUIDED_SAMPLERS.map((s) => s.name), n, seed})) points.push(p);
    runs.push(points);
  }
  for (const {name: sampler} of GUIDED_SAMPLERS) {
    for (const w of ws) {
      const at = runs.map((points) => points.find((p) => p.sampler === sampler && p.w === w)!);
      console.log(`| ${name} | ${sampler} | ${w} | ${show(at.map((p) => p.shares[c]), 1, 100)} | ${show(at.map((p) => p.spread), 2)} | ${show(at.map((p) => p.outside), 1, 100)} |`);
    }
  }
}
