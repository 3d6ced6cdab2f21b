// What a benchmark section is: a name and a function that measures something and returns rows.
// run.ts prints each section's rows as a table and writes all of them to .bench/results.json.
import type {Browser} from "playwright-core";

export type Cell = string | number;

/** One line of a section's table; keys are the column headers (units in the header, e.g. "p95 ms"). */
export type Row = Record<string, Cell>;

/** Shared by every section: one headless Chromium and the built site served from a snapshot of dist/. */
export interface BenchContext {
  browser: Browser;
  origin: string;
  /** The snapshot directory that `origin` serves (hashed module and file names are listed from it). */
  site: string;
  /** Whether Chromium was launched with WebGPU enabled (BENCH_WEBGPU=1); WebGPU runs only then. */
  webgpu: boolean;
}

export interface Section {
  name: string;
  /** One sentence: what is measured and how. */
  about: string;
  /** Measures and returns rows; throws if the measurement is not trustworthy (e.g. the page broke). */
  run(context: BenchContext): Promise<Row[]>;
}
