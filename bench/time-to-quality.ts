// Time to quality on every built-in data set: the training a reader starts with (the data set's recipe,
// recipeFor in components/model/recipes.ts, untouched) run on wasm in a blank page of the built site,
// seeds 1…SEEDS, until its samples pass the time-to-quality yardstick. Reported per data set: the
// steps and the training seconds (checks excluded) it took, how many seeds never got there within the
// cap, and the recipe's cost per step against the default recipe's ("ring", whose recipe is
// DEFAULT_CONFIG) in the same run, since wall times on a shared machine move with its load.
import type {Page} from "playwright-core";
import {blankPage, componentModules, useBackend, type Modules} from "./page.js";
import type {BenchContext, Row, Section} from "./section.js";
import {round} from "./stats.js";
import {YARDSTICK} from "../components/math/metrics.js";
import {SCORE_DRAWS} from "../components/math/quality-score.js";

/** Seeds per data set (data draw and weights both come from the seed). */
const SEEDS = 5;
/** Steps between checks (and per runChunk call). */
const CHECK_EVERY = 25;
/** DDPM steps of a check: the sampler and step count of scripts/ttq.ts and training-run. */
const CHECK_STEPS = 50;
/** A run stops unreached at this many steps or this much training time, whichever comes first. */
const MAX_STEPS = 2000;
const CAP_MS = 20_000;
/** Points of the data set a run trains on. */
const DATA_POINTS = 20_000;
/** The target of the issue this section was written for: every seed within this much training. */
const TARGET_S = 5;

interface Run {
  dataset: string;
  seed: number;
  /** Step and training ms at which quality was reached, or null. */
  steps: number | null;
  ms: number | null;
  /** Steps run, and the yardstick's distance at the last check. */
  ran: number;
  last: number;
  threshold: number;
  msPerStep: number;
  diverged: string | null;
}

/**
 * Page-side, on wasm: for one data set and seed, Trainer with the data set's recipe (recipeFor) and
 * DATA_POINTS points drawn from the seed, trained in chunks of CHECK_EVERY; after each
 * chunk, SCORE_DRAWS × YARDSTICK.n DDPM-CHECK_STEPS samples of the EMA weights (DDPM's program on the
 * device, seeded) scored by qualityScore (the mean SW₂ of the draws). Training time is the sum of
 * runChunk's wall times; checks are not counted.
 */
function timeToQuality(page: Page, modules: Modules, dataset: string, seed: number): Promise<Run> {
  return page.evaluate(async ({modules, dataset, seed, every, checkSteps, maxSteps, cap, points, n, draws}) => {
    const {Trainer}: typeof import("../components/model/trainer.js") = await import(modules["model/trainer"]);
    const {recipeFor}: typeof import("../components/model/recipes.js") = await import(modules["model/recipes"]);
    const {makeSchedule}: typeof import("../components/math/schedules.js") = await import(modules["math/schedules"]);
    const {sampleDataset}: typeof import("../components/math/datasets.js") = await import(modules["math/datasets"]);
    const {rngFromSeed}: typeof import("../components/math/random.js") = await import(modules["math/random"]);
    const {qualityYardstick}: typeof import("../components/math/metrics.js") = await import(modules["math/metrics"]);
    const {samplerByName}: typeof import("../components/samplers/index.js") = await import(modules["samplers/index"]);
    const {sampleEma}: typeof import("../components/model/device-sampler.js") = await import(modules["model/device-sampler"]);
    const name = dataset as Parameters<typeof sampleDataset>[0];
    const recipe = recipeFor(name);
    const schedule = makeSchedule(recipe.schedule.name, recipe.schedule.T);
    const {threshold, distance} = qualityYardstick((count, rng) => sampleDataset(name, count, rng));
    // qualityScore (math/quality-score.ts), written out: the built site holds only modules its pages import.
    const score = (x: Float64Array) => {
      let sum = 0;
      for (let k = 0; k < draws; ++k) sum += distance(x.subarray(2 * k * n, 2 * (k + 1) * n));
      return sum / draws;
    };
    const trainer = new Trainer({data: sampleDataset(name, points, rngFromSeed(seed)), schedule, config: recipe.config, seed});
    let ms = 0, last = NaN, diverged: string | null = null;
    try {
      while (trainer.stepCount < maxSteps && ms < cap) {
        const r = await trainer.runChunk(every);
        ms += r.ms;
        if (r.diverged) { diverged = r.diverged; break; }
        const program = samplerByName("ddpm").program(schedule, {steps: Math.min(checkSteps, schedule.T)});
        const {x} = await sampleEma(trainer, program, {n: n * draws}, rngFromSeed(seed + 99));
        last = score(x);
        if (last <= threshold) return {dataset, seed, steps: trainer.stepCount, ms, ran: trainer.stepCount, last, threshold, msPerStep: ms / trainer.stepCount, diverged};
      }
      return {dataset, seed, steps: null, ms: null, ran: trainer.stepCount, last, threshold, msPerStep: ms / trainer.stepCount, diverged};
    } finally {
      trainer.dispose();
    }
  }, {modules, dataset, seed, every: CHECK_EVERY, checkSteps: CHECK_STEPS, maxSteps: MAX_STEPS, cap: CAP_MS, points: DATA_POINTS, n: YARDSTICK.n, draws: SCORE_DRAWS});
}

/** The built-in 2D data sets and what each one's recipe changes from the defaults, read in the page (DATASETS, describeRecipe). */
function datasetRecipes(page: Page, modules: Modules): Promise<{name: string; recipe: string}[]> {
  return page.evaluate(async (modules) => {
    const {DATASETS}: typeof import("../components/math/datasets.js") = await import(modules["math/datasets"]);
    const {describeRecipe}: typeof import("../components/model/recipes.js") = await import(modules["model/recipes"]);
    return DATASETS.map((d) => ({name: d.name, recipe: describeRecipe(d.name) || "defaults"}));
  }, modules);
}

const spread = (xs: number[], digits = 1) => (xs.length ? `${round(Math.min(...xs), digits)}–${round(Math.max(...xs), digits)}` : "–");
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

export const timeToQualitySection: Section = {
  name: "time-to-quality",
  about: `every built-in data set × seeds 1–${SEEDS} on wasm in a blank page, each with its recipe (recipeFor in components/model/recipes.ts; "ring" gets DEFAULT_CONFIG, DEFAULT_SCHEDULE) and nothing changed: steps and training seconds (checks excluded) until ${SCORE_DRAWS} draws of ${YARDSTICK.n} DDPM-${CHECK_STEPS} samples of the EMA weights pass the time-to-quality yardstick (SW₂ to held-out data, mean of the draws, ≤ ${YARDSTICK.factor} × SW₂ between two draws), checked every ${CHECK_EVERY} steps; a run stops unreached at ${MAX_STEPS} steps or ${CAP_MS / 1000} s; "within ${TARGET_S} s" counts the seeds that got there in ${TARGET_S} s of training or less; "step cost" = median ms/step ÷ that of "ring" (the default recipe) in the same run`,
  async run(context: BenchContext): Promise<Row[]> {
    const modules = await componentModules(context.site);
    const bench = await blankPage(context);
    try {
      const status = await useBackend(bench.page, modules, "wasm");
      if (!status.ok) return [{backend: "wasm", note: `unavailable: ${status.reason}`}];
      const rows: Row[] = [];
      for (const {name: dataset, recipe} of await datasetRecipes(bench.page, modules)) {
        const runs: Run[] = [];
        for (let seed = 1; seed <= SEEDS; ++seed) runs.push(await timeToQuality(bench.page, modules, dataset, seed));
        const hit = runs.filter((r) => r.steps !== null);
        const seconds = hit.map((r) => r.ms! / 1000);
        const missed = runs.filter((r) => r.steps === null);
        rows.push({
          dataset, recipe, seeds: SEEDS, reached: hit.length, [`within ${TARGET_S} s`]: seconds.filter((s) => s <= TARGET_S).length,
          steps: hit.map((r) => r.steps).join(" ") || "–", "median steps": median(hit.map((r) => r.steps!)),
          seconds: spread(seconds), "median s": round(median(seconds), 1), "ms/step": round(median(runs.map((r) => r.msPerStep)), 2),
          note: missed.map((r) => `seed ${r.seed}: ${r.diverged ? "diverged" : `SW ${round(r.last, 4)} > ${round(r.threshold, 4)} after ${r.ran} steps`}`).join("; "),
        });
      }
      const defaultMsPerStep = Number(rows.find((r) => r.dataset === "ring")?.["ms/step"]);
      for (const r of rows) r["step cost"] = Number.isFinite(defaultMsPerStep) ? `${round(Number(r["ms/step"]) / defaultMsPerStep, 2)}×` : "–";
      const problems = bench.problems();
      if (problems.length) throw new Error(`the wasm page had problems:\n  ${problems.join("\n  ")}`);
      return rows;
    } finally {
      await bench.close();
    }
  },
};
