// A grid of values on <canvas> (one pixel per cell, scaled up by CSS) under SVG axes and a marker.
import {axisBottom, axisLeft} from "d3-axis";
import {rgb} from "d3-color";
import {scaleLinear, type ScaleLinear} from "d3-scale";
import {interpolateMagma} from "d3-scale-chromatic";
import {select} from "d3-selection";

export interface HeatmapOptions {
  width: number;
  height: number;
  /** Grid size: values are [rows, cols] row-major, row 0 at the top of yDomain. */
  cols: number;
  rows: number;
  xDomain: [number, number];
  yDomain: [number, number];
  xLabel: string;
  yLabel: string;
  /** Text alternative for the canvas. */
  label: string;
  /** Maps a value in [0, 1] to a CSS colour; defaults to magma. */
  interpolate?: (v: number) => string;
}

export interface Heatmap extends HTMLDivElement {
  /** Redraws from values [rows, cols], each scaled by its column's maximum. */
  update(values: Float64Array): void;
  /** Moves the vertical marker to x (in xDomain units). */
  mark(x: number): void;
  /** Draws polylines (e.g. sample paths) given as [x, y] pairs in data units. */
  paths(lines: readonly Float64Array[]): void;
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
}

const MARGIN = {top: 8, right: 10, bottom: 34, left: 40};

/**
 * Each column is normalised by its own maximum: a density that starts as narrow spikes and ends as
 * one broad Gaussian stays readable at every t (the legend on the page says so).
 */
export function Heatmap(values: Float64Array, o: HeatmapOptions): Heatmap {
  const {width, height, cols, rows} = o;
  const interpolate = o.interpolate ?? interpolateMagma;
  const x = scaleLinear(o.xDomain, [MARGIN.left, width - MARGIN.right]);
  const y = scaleLinear(o.yDomain, [height - MARGIN.bottom, MARGIN.top]);
  const root = document.createElement("div") as unknown as Heatmap;
  root.style.cssText = `position:relative;width:${width}px;height:${height}px;max-width:100%;`;

  const canvas = document.createElement("canvas");
  canvas.width = cols;
  canvas.height = rows;
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", o.label);
  canvas.style.cssText = `position:absolute;left:${MARGIN.left}px;top:${MARGIN.top}px;` +
    `width:${width - MARGIN.left - MARGIN.right}px;height:${height - MARGIN.top - MARGIN.bottom}px;image-rendering:auto;`;
  const context = canvas.getContext("2d")!;
  const image = context.createImageData(cols, rows);
  const palette = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; ++i) {
    const {r, g, b} = rgb(interpolate(i / 255));
    palette.set([r, g, b], i * 3);
  }

  const svg = select(document.createElementNS("http://www.w3.org/2000/svg", "svg"))
    .attr("width", width).attr("height", height).attr("aria-hidden", "true")
    .style("position", "absolute").style("left", 0).style("top", 0).style("overflow", "visible");
  svg.append("g").attr("transform", `translate(0,${height - MARGIN.bottom})`).call(axisBottom(x).ticks(6));
  svg.append("g").attr("transform", `translate(${MARGIN.left},0)`).call(axisLeft(y).ticks(5));
  svg.append("text").attr("x", (MARGIN.left + width - MARGIN.right) / 2).attr("y", height - 4)
    .attr("text-anchor", "middle").attr("fill", "currentColor").attr("font-size", 11).text(o.xLabel);
  svg.append("text").attr("transform", `translate(11,${(height - MARGIN.bottom) / 2}) rotate(-90)`)
    .attr("text-anchor", "middle").attr("fill", "currentColor").attr("font-size", 11).text(o.yLabel);
  const lines = svg.append("g").attr("fill", "none").attr("stroke", "#fff").attr("stroke-opacity", 0.7).attr("stroke-width", 1);
  const marker = svg.append("line").attr("y1", MARGIN.top).attr("y2", height - MARGIN.bottom)
    .attr("stroke", "#4cc9f0").attr("stroke-width", 2);

  root.update = (v: Float64Array) => {
    const data = image.data;
    for (let c = 0; c < cols; ++c) {
      let max = 0;
      for (let r = 0; r < rows; ++r) max = Math.max(max, v[r * cols + c]);
      const scale = max > 0 ? 255 / max : 0;
      for (let r = 0; r < rows; ++r) {
        const k = Math.min(255, Math.round(v[r * cols + c] * scale)) * 3, p = (r * cols + c) * 4;
        data[p] = palette[k]; data[p + 1] = palette[k + 1]; data[p + 2] = palette[k + 2]; data[p + 3] = 255;
      }
    }
    context.putImageData(image, 0, 0);
  };
  root.mark = (t: number) => { marker.attr("x1", x(t)).attr("x2", x(t)); };
  root.paths = (polylines) => {
    lines.selectAll("path").data(polylines).join("path").attr("d", (p) => {
      let d = "";
      for (let i = 0; i + 1 < p.length; i += 2) d += `${i ? "L" : "M"}${x(p[i]).toFixed(1)},${y(p[i + 1]).toFixed(1)}`;
      return d;
    });
  };
  root.x = x;
  root.y = y;
  root.append(canvas, svg.node()!);
  root.update(values);
  return root;
}
