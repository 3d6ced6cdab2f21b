// Quality against cost on log–log axes: one line of markers per sampler and denoiser, a horizontal
// floor, and values off the top drawn as triangles on the edge (a run that blew up stays visible).
// LineChart has no log x axis or markers, hence this small view.
import {axisBottom, axisLeft} from "d3-axis";
import {scaleLog} from "d3-scale";
import {select} from "d3-selection";
import {line} from "d3-shape";

/** One measured point. */
export interface QualityPoint {
  nfe: number;
  steps: number;
  /** NaN or anything above the y range is drawn as a triangle on the top edge. */
  value: number;
}

/** One curve: `key` names it in the DOM (data-series) so tests and readers' tools can find it. */
export interface QualitySeries {
  key: string;
  label: string;
  color: string;
  dash?: string;
  /** A reference line (e.g. a slope guide): thin, no markers. */
  guide?: boolean;
  points: readonly QualityPoint[];
}

export interface QualityChartOptions {
  width: number;
  height?: number;
  xDomain: [number, number];
  yDomain: [number, number];
  xLabel: string;
  yLabel: string;
  /** Text alternative. */
  label: string;
  /** Legend entries (colours and line styles), shown below the plot so it never covers a curve. */
  legend: readonly {label: string; color: string; dash?: string}[];
}

export interface QualityChart extends HTMLDivElement {
  /** Replaces the curves and the floor (NaN hides it). */
  update(series: readonly QualitySeries[], floor: number, floorLabel?: string): void;
}

const MARGIN = {top: 12, right: 14, bottom: 36, left: 52};

export function QualityChart(o: QualityChartOptions): QualityChart {
  const {width, height = 300} = o;
  const x = scaleLog(o.xDomain, [MARGIN.left, width - MARGIN.right]);
  const y = scaleLog(o.yDomain, [height - MARGIN.bottom, MARGIN.top]);
  const root = document.createElement("div") as unknown as QualityChart;
  root.className = "quality-chart";
  const svg = select(document.createElementNS("http://www.w3.org/2000/svg", "svg"))
    .attr("width", width).attr("height", height).attr("viewBox", `0 0 ${width} ${height}`)
    .attr("role", "img").attr("aria-label", o.label)
    .style("max-width", "100%").style("height", "auto").style("font", "11px var(--sans-serif)");
  svg.append("g").attr("transform", `translate(0,${height - MARGIN.bottom})`)
    .call(axisBottom(x).ticks(Math.max(2, width / 90), "~s"));
  svg.append("g").attr("transform", `translate(${MARGIN.left},0)`).call(axisLeft(y).ticks(4, "~r"));
  svg.append("text").attr("x", (MARGIN.left + width - MARGIN.right) / 2).attr("y", height - 4)
    .attr("text-anchor", "middle").attr("fill", "currentColor").text(o.xLabel);
  svg.append("text").attr("transform", `translate(12,${(height - MARGIN.bottom + MARGIN.top) / 2}) rotate(-90)`)
    .attr("text-anchor", "middle").attr("fill", "currentColor").text(o.yLabel);
  const floorLine = svg.append("g");
  const curves = svg.append("g");
  const legend = document.createElement("div");
  legend.className = "quality-legend";
  legend.style.cssText = "display:flex;flex-wrap:wrap;gap:0.25rem 1rem;font:12px var(--sans-serif);margin-top:0.25rem;";
  legend.replaceChildren(...o.legend.map((s) => {
    const item = document.createElement("span");
    item.innerHTML = `<svg width="22" height="10" aria-hidden="true"><line x1="1" x2="21" y1="5" y2="5" stroke="${s.color}" stroke-width="2" ${s.dash ? `stroke-dasharray="${s.dash}"` : ""}></line></svg> `;
    item.append(s.label);
    return item;
  }));
  root.append(svg.node()!, legend);

  const [yMin, yMax] = o.yDomain;
  const yOf = (v: number) => y(Math.max(yMin, Math.min(yMax, v)));
  const off = (v: number) => !(v <= yMax);

  root.update = (series, floor, floorLabel = "data vs data") => {
    floorLine.selectAll("*").remove();
    root.dataset.floor = String(floor);
    if (Number.isFinite(floor)) {
      floorLine.append("line").attr("x1", MARGIN.left).attr("x2", width - MARGIN.right).attr("y1", yOf(floor)).attr("y2", yOf(floor))
        .attr("stroke", "currentColor").attr("stroke-opacity", 0.6).attr("stroke-dasharray", "1,3").attr("stroke-width", 1.5);
      // Labelled at the left, where every curve starts far above the floor.
      floorLine.append("text").attr("x", MARGIN.left + 4).attr("y", yOf(floor) - 4).attr("text-anchor", "start")
        .attr("fill", "currentColor").text(floorLabel);
    }
    const g = curves.selectAll<SVGGElement, QualitySeries>("g.series").data(series, (s) => s.key).join("g")
      .attr("class", "series").attr("data-series", (s) => s.key).attr("stroke", (s) => s.color).attr("fill", (s) => s.color);
    g.selectAll("path.curve").data((s) => [s]).join("path").attr("class", "curve").attr("fill", "none")
      .attr("stroke-width", (s) => (s.guide ? 1 : 1.6)).attr("stroke-opacity", (s) => (s.guide ? 0.6 : 1)).attr("stroke-dasharray", (s) => s.dash ?? null)
      .attr("d", (s) => line()(s.points.filter((p) => !off(p.value)).map((p) => [x(p.nfe), yOf(p.value)])));
    g.selectAll("path.mark").data((s) => (s.guide ? [] : s.points.map((p) => ({p, dashed: !!s.dash})))).join("path").attr("class", "mark")
      .attr("data-steps", ({p}) => p.steps).attr("data-nfe", ({p}) => p.nfe).attr("data-value", ({p}) => p.value)
      .attr("fill-opacity", ({dashed}) => (dashed ? 0 : 1)).attr("stroke-width", 1.4)
      .attr("d", ({p}) => off(p.value)
        ? `M${x(p.nfe)},${MARGIN.top - 6}l-4,7h8z` // off the chart: a triangle pointing up at the top edge
        : `M${x(p.nfe) + 3},${yOf(p.value)}a3,3 0 1,0 -6,0a3,3 0 1,0 6,0`);
  };
  root.update([], NaN);
  return root;
}
