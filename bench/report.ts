// Printing rows as an aligned text table and writing the whole run to JSON.
import {mkdir, writeFile} from "node:fs/promises";
import {dirname} from "node:path";
import type {Cell, Row} from "./section.js";
import type {Machine} from "./machine.js";

export interface SectionResult {
  name: string;
  about: string;
  /** Wall-clock seconds the section took. */
  seconds: number;
  rows: Row[];
  /** Why the section failed; absent when it succeeded. */
  error?: string;
}

export interface Results {
  machine: Machine;
  sections: SectionResult[];
}

/** Numbers with at most 2 decimals, except small ones (|x| < 0.1), which keep 2 significant digits. */
const show = (cell: Cell | undefined): string =>
  cell === undefined ? "" : typeof cell !== "number" ? cell : !Number.isFinite(cell) ? String(cell)
    : cell !== 0 && Math.abs(cell) < 0.1 ? cell.toLocaleString("en-US", {maximumSignificantDigits: 2})
    : cell.toLocaleString("en-US", {maximumFractionDigits: 2});

/** Rows as a text table: one column per key (in first-seen order), numbers right-aligned. */
export function formatTable(rows: readonly Row[]): string {
  if (!rows.length) return "(no rows)";
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const numeric = columns.map((c) => rows.every((row) => typeof row[c] !== "string"));
  const cells = rows.map((row) => columns.map((c) => show(row[c])));
  const widths = columns.map((c, j) => Math.max(c.length, ...cells.map((line) => line[j].length)));
  const pad = (text: string, j: number) => (numeric[j] ? text.padStart(widths[j]) : text.padEnd(widths[j]));
  const line = (texts: string[]) => texts.map(pad).join("  ").trimEnd();
  return [line(columns), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}

/** Writes results as indented JSON, creating the folder if needed. */
export async function writeResults(path: string, results: Results): Promise<void> {
  await mkdir(dirname(path), {recursive: true});
  await writeFile(path, JSON.stringify(results, null, 2) + "\n");
}
