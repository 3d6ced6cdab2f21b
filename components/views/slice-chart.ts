// Inpainting's answer along the known line: the exact conditional density p(x₂ | x₁) as a curve and
// samples as histograms (density-normalised steps), on one set of axes.
import {LineChart, type Series} from "./line-chart.js";
import {density1D, type Mixture1D} from "../math/mixture.js";

/** xs and values of a step line tracing the histogram of `values` on `bins` equal bins over [lo, hi], as a density. */
export function histogramSteps(values: Float64Array, lo: number, hi: number, bins: number): {xs: number[]; values: number[]} {
  const counts = new Float64Array(bins), h = (hi - lo) / bins;
  for (const v of values) {
    const b = Math.floor((v - lo) / h);
    if (b >= 0 && b < bins) counts[b]++;
  }
  const xs: number[] = [], ys: number[] = [];
  counts.forEach((k, b) => {
    const d = values.length ? k / (values.length * h) : 0;
    xs.push(lo + b * h, lo + (b + 1) * h);
    ys.push(d, d);
  });
  return {xs, values: ys};
}

export interface SliceChart extends SVGSVGElement {
  /** The exact conditional (a curve) and each labelled sample (a histogram). */
  show(exact: Mixture1D, samples: readonly {label: string; values: Float64Array; color: string; dash?: string}[]): void;
}

/** Density against x₂ ∈ [−extent, extent], the y axis up to `yMax` (taller values are clipped at the top). */
export function SliceChart({width, extent = 2.5, yMax = 4.5, label}: {width: number; extent?: number; yMax?: number; label: string}): SliceChart {
  const line = LineChart([], {width, height: 220, xDomain: [-extent, extent], yDomain: [0, yMax], xLabel: "x₂", yLabel: "density", label, legend: "top-left"});
  const draw = line.update as (series: readonly Series[]) => void, chart = line as unknown as SliceChart;
  chart.show = (exact, samples) => {
    const xs = Array.from({length: 401}, (_, i) => -extent + (2 * extent * i) / 400);
    draw([
      {label: "exact p(x₂ | x₁)", color: "currentColor", xs, values: xs.map((x) => density1D(exact, 1, x))},
      ...samples.map((s) => ({label: s.label, color: s.color, dash: s.dash, ...histogramSteps(s.values, -extent, extent, 50)})),
    ]);
  };
  return chart;
}
