// What guidance buys and costs, against the weight w: one measure of the guided runs per chart, a line
// per sampler, and a marker at the reader's w.
import {LineChart, type Series} from "./line-chart.js";
import type {GuidancePoint, GuidedSampler} from "../samplers/guided-runs.js";

/** Which measure a chart plots. */
export type GuidanceMetric = "share" | "spread" | "outside";

const STYLE: Record<GuidedSampler, {label: string; dash?: string}> = {ddim: {label: "DDIM"}, ddpm: {label: "DDPM", dash: "5,3"}};

const METRICS: Record<GuidanceMetric, {yLabel: string; yDomain: [number, number]; value: (p: GuidancePoint, c: number) => number}> = {
  share: {yLabel: "in the asked-for class", yDomain: [0, 1], value: (p, c) => p.shares[c]},
  spread: {yLabel: "spread ÷ the class's own", yDomain: [0, 2], value: (p) => p.spread},
  outside: {yLabel: "past the class's 99% region", yDomain: [0, 1], value: (p) => p.outside},
};

export interface GuidanceChart extends SVGSVGElement {
  /** Redraws from the runs measured so far (any order), for class c. */
  update(points: readonly GuidancePoint[], c: number): void;
  /** Moves the marker to the reader's w (held at the chart's edge beyond its domain). */
  mark(w: number): void;
}

/** A LineChart of one measure against w ∈ [wMin, wMax], a line per sampler (DDIM solid, DDPM dashed) in `color`. */
export function GuidanceChart({width, metric, color, wDomain = [-1, 10], label}: {width: number; metric: GuidanceMetric; color: string; wDomain?: [number, number]; label: string}): GuidanceChart {
  const m = METRICS[metric];
  const chart = LineChart([], {width, height: 190, xDomain: wDomain, yDomain: m.yDomain, xLabel: "guidance weight w", yLabel: m.yLabel, label, legend: metric === "share" ? "bottom-right" : "top-right"}) as unknown as GuidanceChart;
  const draw = chart.update as unknown as (series: readonly Series[]) => void;
  chart.dataset.metric = metric;
  chart.update = (points, c) => {
    const series = (Object.keys(STYLE) as GuidedSampler[]).map((sampler) => {
      const mine = points.filter((p) => p.sampler === sampler).sort((a, b) => a.w - b.w);
      return {label: STYLE[sampler].label, dash: STYLE[sampler].dash, color, xs: mine.map((p) => p.w), values: mine.map((p) => m.value(p, c))};
    }).filter((s) => s.xs.length);
    draw(series);
  };
  const mark = chart.mark as (x: number) => void;
  chart.mark = (w) => mark(Math.min(wDomain[1], Math.max(wDomain[0], w)));
  return chart;
}
