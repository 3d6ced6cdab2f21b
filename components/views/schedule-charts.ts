// The Noise schedules chapter's three charts over normalised time t/T: ᾱ_t, log SNR(t) and β_t (log
// scale), one line per schedule, each with a marker the page moves to the current t.
import {LineChart} from "./line-chart.js";
import type {ForwardCurve} from "../math/schedule-compare.js";

/** One schedule's line: its forward curve and how it is drawn. */
export interface ScheduleLine {
  label: string;
  color: string;
  curve: ForwardCurve;
}

/**
 * [ᾱ_t, log SNR, β_t] charts of `width`, built for the lines' common T. The log-SNR axis spans the
 * finite values, rounded out to integers and capped at ±25 (zero terminal SNR sends the end to −∞).
 * The text alternatives give each schedule's value at t = T.
 */
export function ScheduleCharts(lines: readonly ScheduleLine[], {width}: {width: number}): LineChart[] {
  const T = lines[0].curve.T;
  const u = Float64Array.from({length: T + 1}, (_, k) => k / T);
  const series = (key: "alphaBar" | "logSnr" | "beta") => lines.map(({label, color, curve}) => ({label, color, xs: u, values: curve[key]}));
  const snrs = lines.flatMap(({curve}) => Array.from(curve.logSnr.subarray(1)).filter(Number.isFinite));
  const snrDomain: [number, number] = [Math.max(-25, Math.floor(Math.min(...snrs))), Math.min(25, Math.ceil(Math.max(...snrs)))];
  const ends = (key: "alphaBar" | "logSnr" | "beta", show: (v: number) => string) => lines.map(({label, curve}) => `${label} ${show(curve[key][T])}`).join(", ");
  const common = {width, height: 230, xDomain: [0, 1] as [number, number], xLabel: "t / T"};
  return [
    LineChart(series("alphaBar"), {...common, yDomain: [0, 1], yLabel: "ᾱ_t",
      label: `ᾱ_t against t/T for five schedules, T = ${T}; at t = T: ${ends("alphaBar", (v) => v.toPrecision(3))}`}),
    LineChart(series("logSnr"), {...common, yDomain: snrDomain, yLabel: "log SNR(t)",
      label: `Log signal-to-noise ratio against t/T for five schedules, T = ${T}; at t = T: ${ends("logSnr", (v) => v.toFixed(1))}`}),
    LineChart(series("beta"), {...common, yDomain: [1e-7, 1], yType: "log", yLabel: "β_t (log scale)",
      label: `β_t on a log scale against t/T for five schedules, T = ${T}; last step: ${ends("beta", (v) => v.toPrecision(2))}`}),
  ];
}
