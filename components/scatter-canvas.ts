// A point cloud on <canvas> with its axes in SVG above it (STYLE.md: canvas for data, SVG for chrome).
import {axisBottom, axisLeft, rgb, scaleLinear, select, type ScaleLinear} from "d3";
import type {Points} from "./types.js";

export interface ScatterOptions {
  width: number;
  /** Defaults to width (a square plot). */
  height?: number;
  /** The plot shows [−extent, extent] on both axes. */
  extent?: number;
  /** Point colour (any CSS colour d3-color parses). */
  color?: string;
  /** Text alternative: what the canvas shows (kept current with `describe`). */
  label: string;
}

export interface ScatterCanvas extends HTMLDivElement {
  /** Redraws the cloud: points [n, 2]. Allocation-free after the first call at a given size. */
  update(points: Points): void;
  /** Replaces the text alternative. */
  describe(label: string): void;
  /** An SVG group in data coordinates' pixel space, for trajectories and markers. */
  overlay: SVGGElement;
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
}

const MARGIN = {top: 8, right: 8, bottom: 22, left: 30};

/**
 * Points are splatted into a per-pixel count buffer and shaded 1 − (1 − a)^count, so dense regions
 * darken the way overlapping translucent dots do, at a cost linear in points and pixels (≈1 ms for
 * 20,000 points; arcs or SVG circles cost 10–50× more, ENVIRONMENT.md).
 */
export function ScatterCanvas(points: Points, {width, height = width, extent = 3, color = "#4269d0", label}: ScatterOptions): ScatterCanvas {
  const dpr = typeof devicePixelRatio === "number" ? Math.min(devicePixelRatio, 2) : 1;
  const x = scaleLinear([-extent, extent], [MARGIN.left, width - MARGIN.right]);
  const y = scaleLinear([-extent, extent], [height - MARGIN.bottom, MARGIN.top]);
  const root = document.createElement("div") as unknown as ScatterCanvas;
  root.className = "scatter-canvas";
  root.style.cssText = `position:relative;width:${width}px;height:${height}px;max-width:100%;`;

  const canvas = document.createElement("canvas");
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  canvas.style.cssText = `position:absolute;left:0;top:0;width:${width}px;height:${height}px;`;
  canvas.setAttribute("role", "img");
  const context = canvas.getContext("2d")!;
  const image = context.createImageData(canvas.width, canvas.height);
  const pixels = new Uint32Array(image.data.buffer);
  const counts = new Uint16Array(canvas.width * canvas.height);

  // ABGR words (little-endian ImageData) for 0..255 overlapping points.
  const {r, g, b} = rgb(color);
  const shade = new Uint32Array(256);
  for (let c = 1; c < 256; ++c) {
    const alpha = Math.round(255 * (1 - Math.pow(1 - 0.45, c)));
    shade[c] = ((alpha << 24) | (b << 16) | (g << 8) | r) >>> 0;
  }

  const svg = select(document.createElementNS("http://www.w3.org/2000/svg", "svg"))
    .attr("width", width).attr("height", height).attr("aria-hidden", "true")
    .style("position", "absolute").style("left", 0).style("top", 0).style("overflow", "visible");
  svg.append("g").attr("transform", `translate(0,${height - MARGIN.bottom})`).call(axisBottom(x).ticks(5).tickSizeOuter(0))
    .call((g) => g.selectAll("text").attr("fill", "currentColor"));
  svg.append("g").attr("transform", `translate(${MARGIN.left},0)`).call(axisLeft(y).ticks(5).tickSizeOuter(0));
  svg.selectAll(".domain").attr("stroke-opacity", 0.4);
  const overlay = svg.append("g").node()!;

  const size = Math.max(1, Math.round(2 * dpr));
  const sx = scaleLinear(x.domain(), x.range().map((v) => v * dpr));
  const sy = scaleLinear(y.domain(), y.range().map((v) => v * dpr));
  const W = canvas.width, H = canvas.height;
  root.update = (p: Points) => {
    counts.fill(0);
    for (let i = 0; i + 1 < p.length; i += 2) {
      const px = Math.round(sx(p[i])), py = Math.round(sy(p[i + 1]));
      if (px < 0 || py < 0 || px + size > W || py + size > H) continue;
      for (let dy = 0; dy < size; ++dy) {
        const row = (py + dy) * W + px;
        for (let dx = 0; dx < size; ++dx) if (counts[row + dx] < 255) counts[row + dx]++;
      }
    }
    for (let j = 0; j < counts.length; ++j) pixels[j] = shade[counts[j]];
    context.putImageData(image, 0, 0);
  };
  root.describe = (text: string) => canvas.setAttribute("aria-label", text);
  root.describe(label);
  root.overlay = overlay;
  root.x = x;
  root.y = y;
  root.append(canvas, svg.node()!);
  root.update(points);
  return root;
}
