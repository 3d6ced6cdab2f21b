// A small SVG line chart whose series and marker can be updated in place (no rebuild per frame).
import {axisBottom, axisLeft} from "d3-axis";
import {scaleLinear, scaleLog} from "d3-scale";
import {select} from "d3-selection";
import {line} from "d3-shape";

export interface Series {
  label: string;
  /** y values at x = xs[i] (or i when xs is not given). */
  values: ArrayLike<number>;
  xs?: ArrayLike<number>;
  color: string;
  dash?: string;
}

export interface LineChartOptions {
  width: number;
  height?: number;
  xDomain: [number, number];
  yDomain: [number, number];
  yType?: "linear" | "log";
  xLabel: string;
  yLabel: string;
  /** Text alternative describing the chart. */
  label: string;
  /** Corner for the legend (default top-right). */
  legend?: "top-right" | "top-left" | "bottom-right" | "bottom-left";
}

export interface LineChart extends SVGSVGElement {
  /** Replaces the drawn series (same domain). */
  update(series: readonly Series[]): void;
  /** Moves the vertical marker to x; NaN hides it. */
  mark(x: number): void;
}

const MARGIN = {top: 10, right: 12, bottom: 34, left: 50};

export function LineChart(series: readonly Series[], o: LineChartOptions): LineChart {
  const {width, height = 200} = o;
  const x = scaleLinear(o.xDomain, [MARGIN.left, width - MARGIN.right]);
  const y = (o.yType === "log" ? scaleLog(o.yDomain, [height - MARGIN.bottom, MARGIN.top]) : scaleLinear(o.yDomain, [height - MARGIN.bottom, MARGIN.top])).clamp(true);
  const svg = select(document.createElementNS("http://www.w3.org/2000/svg", "svg"))
    .attr("width", width).attr("height", height).attr("viewBox", `0 0 ${width} ${height}`)
    .attr("role", "img").attr("aria-label", o.label).style("max-width", "100%").style("height", "auto")
    .style("overflow", "visible").style("font", "11px var(--sans-serif)");
  svg.append("g").attr("transform", `translate(0,${height - MARGIN.bottom})`).call(axisBottom(x).ticks(Math.max(2, width / 80)));
  svg.append("g").attr("transform", `translate(${MARGIN.left},0)`).call(axisLeft(y).ticks(5, o.yType === "log" ? "~e" : "~r"));
  svg.append("text").attr("x", (MARGIN.left + width - MARGIN.right) / 2).attr("y", height - 3)
    .attr("text-anchor", "middle").attr("fill", "currentColor").text(o.xLabel);
  svg.append("text").attr("transform", `translate(12,${(height - MARGIN.bottom + MARGIN.top) / 2}) rotate(-90)`)
    .attr("text-anchor", "middle").attr("fill", "currentColor").text(o.yLabel);
  const lines = svg.append("g").attr("fill", "none").attr("stroke-width", 1.8);
  const corner = o.legend ?? "top-right";
  const legendX = corner.endsWith("left") ? MARGIN.left + 8 : width - MARGIN.right - 110;
  const legendY = corner.startsWith("top") ? MARGIN.top + 4 : height - MARGIN.bottom - 8 - 14 * Math.max(0, series.length - 1) - 10;
  const legend = svg.append("g").attr("transform", `translate(${legendX},${legendY})`);
  const marker = svg.append("line").attr("y1", MARGIN.top).attr("y2", height - MARGIN.bottom)
    .attr("stroke", "currentColor").attr("stroke-opacity", 0.5).attr("stroke-dasharray", "3,3");
  const node = svg.node()! as LineChart;

  node.update = (all) => {
    lines.selectAll("path").data(all).join("path")
      .attr("stroke", (s) => s.color).attr("stroke-dasharray", (s) => s.dash ?? null)
      .attr("d", (s) => {
        const points: [number, number][] = [];
        for (let i = 0; i < s.values.length; ++i) {
          const v = s.values[i];
          if (Number.isFinite(v) && (o.yType !== "log" || v > 0)) points.push([x(s.xs ? s.xs[i] : i), y(v)]);
        }
        return line()(points);
      });
    legend.selectAll("g").data(all).join((enter) => {
      const g = enter.append("g");
      g.append("line").attr("x2", 14).attr("stroke-width", 2);
      g.append("text").attr("x", 18).attr("dy", "0.32em").attr("fill", "currentColor");
      return g;
    }).attr("transform", (_, i) => `translate(0,${i * 14})`)
      .call((g) => g.select("line").attr("stroke", (s) => s.color).attr("stroke-dasharray", (s) => s.dash ?? null))
      .call((g) => g.select("text").text((s) => s.label));
  };
  node.mark = (v) => {
    marker.attr("display", Number.isFinite(v) ? null : "none").attr("x1", x(v)).attr("x2", x(v));
  };
  node.update(series);
  node.mark(NaN);
  return node;
}
