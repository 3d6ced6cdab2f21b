// The Sampling chapter's quality-against-cost panel: SW₂ against evaluations for every sampler with
// the exact and the trained denoiser, a status line, the numbers as a table, and (placed elsewhere on
// the page) the convergence chart of the deterministic samplers. Fed by samplers/quality-compare.ts.
import {QualityChart, type QualitySeries} from "./quality-chart.js";
import {samplerByName} from "../samplers/index.js";
import {SAMPLER_COLORS, chapterSamplers} from "../samplers/sampling-plan.js";
import type {MeasuredSeries, QualityProgress} from "../samplers/quality-compare.js";

export interface QualityPanel extends HTMLDivElement {
  /** The convergence chart (distance to the ODE's end), for the page to place where its prose is. */
  order: HTMLElement;
  /** Shows a report of compareQuality: curves, floor, status, and the table once the sweep ends. */
  update(progress: QualityProgress): void;
}

// Reference slopes on log–log axes: error ∝ 1/NFE (first order) and ∝ 1/NFE² (second order).
const GUIDES: QualitySeries[] = [
  {key: "guide:1", label: "slope −1", color: "#888", dash: "2,2", guide: true, points: [{nfe: 5, steps: 0, value: 0.7 / 5}, {nfe: 100, steps: 0, value: 0.7 / 100}]},
  {key: "guide:2", label: "slope −2", color: "#888", dash: "8,3", guide: true, points: [{nfe: 8, steps: 0, value: 10 / 64}, {nfe: 100, steps: 0, value: 10 / 1e4}]},
];

const cell = (v: number) => (Number.isFinite(v) ? (v < 0.01 ? v.toExponential(1) : v.toFixed(3)) : "diverged");

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text = "", attributes: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.textContent = text;
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
  return e;
}

/**
 * `width` is the card's inner width; `whose` names the trained network ("yours" or "the site's");
 * `actions` (e.g. a Compute now button) sits between the status line and the table.
 */
export function QualityPanel({width, whose, actions}: {width: number; whose: string; actions?: Node}): QualityPanel {
  const legend = chapterSamplers().map((e) => ({label: e.label, color: SAMPLER_COLORS[e.name]}));
  const chart = QualityChart({
    width, height: width < 500 ? 260 : 320, xDomain: [1, 100], yDomain: [0.03, 3],
    xLabel: "denoiser evaluations (NFE)", yLabel: "SW₂ to the data", label: "Sliced Wasserstein distance to the data against the number of denoiser evaluations, for each sampler and both denoisers",
    legend: [...legend, {label: "exact denoiser", color: "currentColor"}, {label: `trained network (${whose})`, color: "currentColor", dash: "5,3"}],
  });
  const order = QualityChart({
    width, height: width < 500 ? 240 : 280, xDomain: [1, 100], yDomain: [0.001, 3],
    xLabel: "denoiser evaluations (NFE)", yLabel: "distance to the ODE's end", label: "Root-mean-square distance from each deterministic sampler's samples to the converged solution of the probability-flow ODE from the same start, against evaluations",
    legend: [...legend.slice(1), {label: "slope −1 (first order)", color: "#888", dash: "2,2"}, {label: "slope −2 (second order)", color: "#888", dash: "8,3"}],
  });
  const status = element("p", "Waits until the chart is on screen — or press Compute now.", {role: "status", "aria-live": "polite"});
  const table = element("details");
  table.append(element("summary", "The numbers"), element("p", "Not computed yet."));
  const root = document.createElement("div") as unknown as QualityPanel;
  root.append(chart, status, ...(actions ? [actions] : []), table);

  const denoiserName = (which: string | null) => (which === "exact" ? "exact denoiser" : `trained network (${whose})`);
  const label = (s: MeasuredSeries) => `${samplerByName(s.sampler).label}, ${s.which}`;
  const drawn = (s: MeasuredSeries): QualitySeries => ({key: s.key, label: label(s), color: SAMPLER_COLORS[s.sampler], dash: s.which === "exact" ? undefined : "5,3", points: s.points});
  const statusText = (p: QualityProgress) => {
    switch (p.phase) {
      case "reference": return "Solving the ODE to convergence for the reference…";
      case "starting": return p.which === "exact" ? "Computing with the exact denoiser…" : "Starting the trained network…";
      case "failed": return p.note ?? "";
      case "done": return `Done: ${p.total} runs of 1,000 points in ${p.seconds.toFixed(1)} s. Data vs data: ${p.floor.toFixed(3)}.`;
      case "running": return `Computing with the ${denoiserName(p.which)}: ${samplerByName(p.last!.sampler).label}, ${p.last!.steps} steps — ${p.done} of ${p.total} runs done.`;
    }
  };
  const numbers = (p: QualityProgress) => {
    const ladder = [...new Set(p.series.flatMap((s) => s.points.map((q) => q.steps)))].sort((a, b) => a - b);
    const rows = (list: MeasuredSeries[], what: string) => list.map((s) => {
      const tr = element("tr");
      tr.append(element("td", `${label(s)}, ${what}`), ...ladder.map((steps) => {
        const q = s.points.find((point) => point.steps === steps);
        return element("td", q ? cell(q.value) : "");
      }));
      return tr;
    });
    const head = element("tr");
    head.append(element("th", "sampler, denoiser, measure"), ...ladder.map((s) => element("th", String(s))));
    const grid = element("table", "", {class: "quality-numbers"});
    grid.append(element("thead"), element("tbody"));
    grid.tHead!.append(head);
    grid.tBodies[0].append(...rows(p.series, "SW₂"), ...rows(p.distances, "distance to the ODE's end"));
    const scroll = element("div", "", {style: "overflow-x:auto;"});
    scroll.append(grid);
    table.replaceChildren(element("summary", "The numbers (by step count; NFE = steps, Heun 2·steps − 1)"), scroll);
  };

  root.order = order;
  root.update = (p) => {
    chart.update(p.series.map(drawn), p.floor);
    order.update([...GUIDES, ...p.distances.map(drawn)], NaN);
    status.textContent = statusText(p);
    if (p.phase === "done" || p.phase === "failed") numbers(p);
  };
  return root;
}
