// `npm run bench`: builds the site (npm script), then runs every section against dist/ in one
// headless Chromium, prints a table per section and writes .bench/results.json. Not part of
// `npm test`: timings depend on the machine and on whatever else it is doing.
import {existsSync} from "node:fs";
import {cp, readdir, rm, stat} from "node:fs/promises";
import {join} from "node:path";
import type {Server} from "node:http";
import type {Browser} from "playwright-core";
import {launchChromium} from "../test/browser/chromium.js";
import {serve} from "../test/browser/serve.js";
import {forward} from "./forward.js";
import {sampling, samplers} from "./sampling.js";
import {training, trainingPage, trainingRun} from "./training.js";
import {guidance, guidancePage, guidanceTrained} from "./guidance.js";
import {timeToQualitySection} from "./time-to-quality.js";
import {faster} from "./faster.js";
import {latent} from "./latent.js";
import {machineInfo} from "./machine.js";
import {formatTable, writeResults, type SectionResult} from "./report.js";
import type {Section} from "./section.js";

const SECTIONS: Section[] = [forward, training, trainingRun, trainingPage, sampling, samplers, timeToQualitySection, guidance, guidanceTrained, guidancePage, latent, faster];
const OUT = ".bench/results.json";
/**
 * The site is measured from a copy of dist/ taken at start: other work in this checkout may rebuild
 * dist/ during a run, and a half-written dist/ would show up as broken pages or skewed timings.
 */
const SITE = ".bench/site";
/** WebGPU runs on SwiftShader here at ~0.5 steps/s: measured only when asked for. */
const WEBGPU = process.env.BENCH_WEBGPU === "1";
/** BENCH_SECTIONS=training,sampling runs only those sections (default: all). */
const ONLY = process.env.BENCH_SECTIONS?.split(",").map((s) => s.trim()).filter(Boolean);

/** What a finished build has: every page and the component modules and data the sections load. */
const COMPLETE = ["index.html", "forward.html", "training.html", "_import/components", "_file/data"];

/**
 * Copies dist/ to SITE, retrying while dist/ looks half-built (another build is writing it): the
 * copy must hold everything in COMPLETE, and dist/ must not change while it is copied.
 */
async function snapshot(tries = 10): Promise<void> {
  for (let k = 1; ; ++k) {
    let problem: string;
    try {
      await rm(SITE, {recursive: true, force: true});
      const before = await stamp("dist");
      await cp("dist", SITE, {recursive: true});
      const missing = COMPLETE.filter((path) => !existsSync(join(SITE, path)));
      if (!missing.length && (await stamp("dist")) === before) return;
      problem = missing.length ? `missing ${missing.join(", ")}` : "it changed while being copied";
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    if (k === tries) throw new Error(`could not take a complete snapshot of dist/ (${problem}); is a build running?`);
    console.warn(`dist/ is being rebuilt (${problem}); retrying the snapshot in 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 10_000));
  }
}

/** Names and modification times of every file under `root`, as one string. */
async function stamp(root: string): Promise<string> {
  const files = (await readdir(root, {recursive: true})).sort();
  const times = await Promise.all(files.map((f) => stat(join(root, f)).then((s) => s.mtimeMs, () => -1)));
  return files.map((f, i) => `${f}@${times[i]}`).join("\n");
}

async function main(): Promise<number> {
  let browser: Browser | undefined, server: Server | undefined;
  try {
    await snapshot();
    let origin: string;
    ({server, origin} = await serve(SITE));
    browser = await launchChromium(WEBGPU ? ["--enable-unsafe-webgpu"] : []);
    const machine = machineInfo(browser);
    console.log(`${machine.date}  ${machine.cpus} × ${machine.cpuModel}  Chromium ${machine.chromium}  commit ${machine.commit}  load ${machine.load}`);
    if (machine.load > machine.cpus / 2) console.warn(`warning: load average ${machine.load} on ${machine.cpus} cpus: other work is running and will inflate the timings`);
    const sections: SectionResult[] = [];
    const unknown = ONLY?.filter((name) => !SECTIONS.some((s) => s.name === name)) ?? [];
    if (unknown.length) throw new Error(`BENCH_SECTIONS names unknown sections: ${unknown.join(", ")}; known: ${SECTIONS.map((s) => s.name).join(", ")}`);
    for (const section of SECTIONS.filter((s) => !ONLY || ONLY.includes(s.name))) {
      const start = performance.now();
      const result: SectionResult = {name: section.name, about: section.about, seconds: 0, rows: []};
      try {
        result.rows = await section.run({browser, origin, site: SITE, webgpu: WEBGPU});
      } catch (error) {
        result.error = error instanceof Error ? error.message : String(error);
      }
      result.seconds = Math.round((performance.now() - start) / 100) / 10;
      sections.push(result);
      console.log(`\n## ${section.name} (${result.seconds} s): ${section.about}\n`);
      console.log(result.error ? `FAILED: ${result.error}` : formatTable(result.rows));
    }
    await writeResults(OUT, {machine, sections});
    console.log(`\nwrote ${OUT}`);
    const failed = sections.filter((s) => s.error).map((s) => s.name);
    if (failed.length) console.error(`\nbench FAILED: ${failed.join(", ")}`);
    return failed.length ? 1 : 0;
  } finally {
    await browser?.close();
    server?.close();
  }
}

process.exitCode = await main();
