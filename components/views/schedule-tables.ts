// The Noise schedules chapter's tables: the signal each schedule leaves at t = T, and what is left of
// the data there, measured. Built once per change of settings (they are small).
import type {CompareName} from "../math/schedule-compare.js";

/** ᾱ as the chapter shows it everywhere: 4 significant figures, scientific below 10⁻³, and exactly "0". */
export function formatAlphaBar(v: number): string {
  return v === 0 ? "0" : v < 1e-3 ? v.toExponential(2) : v.toPrecision(4);
}

/** log SNR with a true minus sign, and ±∞ where ᾱ is 0 or 1. */
export function formatLogSnr(v: number): string {
  return Number.isFinite(v) ? v.toFixed(2).replace("-", "−") : v > 0 ? "∞" : "−∞";
}

function cell(tag: "td" | "th", content: string | Node, attributes: Record<string, string> = {}): HTMLElement {
  const e = document.createElement(tag);
  e.append(content);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
  return e;
}

function row(cells: HTMLElement[]): HTMLTableRowElement {
  const tr = document.createElement("tr");
  tr.append(...cells);
  return tr;
}

function table(className: string, head: string[], body: HTMLTableRowElement[]): HTMLTableElement {
  const t = document.createElement("table");
  t.className = className;
  t.createTHead().append(row(head.map((h) => cell("th", h))));
  t.createTBody().append(...body);
  return t;
}

/** A schedule's name with its colour swatch (the page styles `.swatch`). */
function named(label: string, color: string): HTMLElement {
  const swatch = document.createElement("span");
  swatch.className = "swatch";
  swatch.style.background = color;
  const td = cell("td", swatch);
  td.append(label);
  return td;
}

/** One schedule's row of the terminal table. */
export interface TerminalRow {
  name: CompareName;
  label: string;
  color: string;
  /** ᾱ_T and log SNR(T) at the reader's T. */
  alphaBar: number;
  logSnr: number;
  /** ᾱ_T at each of the table's other step counts. */
  others: number[];
}

/**
 * ᾱ_T, √ᾱ_T and log SNR(T) at the reader's T, then ᾱ_T at each of `Ts`, one row per schedule.
 * The ᾱ_T cell carries `data-alpha-bar-terminal=<schedule name>`.
 */
export function TerminalTable(rows: readonly TerminalRow[], {T, Ts}: {T: number; Ts: readonly number[]}): HTMLTableElement {
  const strong = (text: string) => Object.assign(document.createElement("strong"), {textContent: text});
  return table("terminal", ["schedule", `ᾱ_T at your T = ${T}`, "√ᾱ_T (signal left)", "log SNR(T)", ...Ts.map((s) => `ᾱ_T at T = ${s}`)],
    rows.map((r) => row([
      named(r.label, r.color),
      cell("td", strong(formatAlphaBar(r.alphaBar)), {"data-alpha-bar-terminal": r.name}),
      cell("td", Math.sqrt(r.alphaBar).toFixed(4)),
      cell("td", formatLogSnr(r.logSnr)),
      ...r.others.map((v) => cell("td", formatAlphaBar(v))),
    ])));
}

/** One row of the leftover table: a terminal ᾱ and what it leaves (math/schedule-compare.ts `leftover`). */
export interface LeftoverRow {
  label: string;
  color: string;
  alphaBar: number;
  corr: number;
  gap0: number;
  gapT: number;
}

/** √ᾱ_T beside the measured correlation of x_T with x0 and the gap left between the two sides' means. */
export function LeftoverTable(rows: readonly LeftoverRow[], {T}: {T: number}): HTMLTableElement {
  return table("leftover", [`at t = T = ${T}`, "√ᾱ_T", "corr(x_T, x₀) measured", `gap between the groups' mean x (data: ${rows[0].gap0.toFixed(2)})`],
    rows.map((r) => row([named(r.label, r.color), cell("td", Math.sqrt(r.alphaBar).toFixed(4)), cell("td", r.corr.toFixed(4)), cell("td", r.gapT.toFixed(3))])));
}
