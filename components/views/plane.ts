// The 2D plane every chapter draws on: a density, point clouds and arrows on one <canvas>, with
// axes in SVG above it: canvas for the data (thousands of points), SVG for the few labelled marks.
import {axisBottom, axisLeft} from "d3-axis";
import {rgb} from "d3-color";
import {scaleLinear, type ScaleLinear} from "d3-scale";
import {select} from "d3-selection";
import type {Points} from "../math/types.js";

/** A grid of non-negative values over the plane, [rows, cols] row-major, row 0 at the top. */
export interface DensityLayer { density: Float64Array; rows: number; cols: number; color?: string }
/** Points [n, 2], splatted so overlaps darken like translucent dots. */
export interface PointsLayer { points: Points; color?: string }
/** Arrows from `from` [n, 2] along `vectors` [n, 2] (in data units, times `scale`). */
export interface ArrowsLayer { from: Points; vectors: Float64Array; color?: string; scale?: number; width?: number }
/** A grid of ready-made pixels (ABGR words), [rows, cols] row-major, row 0 at the top, e.g. a class-posterior map. */
export interface ImageLayer { image: Uint32Array; rows: number; cols: number }
export type Layer = DensityLayer | ImageLayer | PointsLayer | ArrowsLayer;

export interface PlaneOptions {
  width: number;
  /** Defaults to width (a square plot). */
  height?: number;
  /** The plot shows [−extent, extent] on both axes. */
  extent?: number;
  /** Default point colour. */
  color?: string;
  /** Text alternative: what the canvas shows (kept current with `describe`). */
  label: string;
  /**
   * Called with the data coordinates [x, y] where the reader presses the plot (mouse, pen or touch).
   * The listeners are added once, when the plane is built, so a page cell that re-runs adds none.
   */
  onPick?: (point: [number, number]) => void;
  /** Also call onPick wherever the pointer moves while pressed. */
  drag?: boolean;
  /** Removes the pointer listeners when it resolves (pass the cell's `invalidation`). */
  invalidation?: Promise<unknown>;
}

export interface Plane extends HTMLDivElement {
  /** Redraws all layers, in order: densities and images first (in the order given), then points, then arrows. */
  draw(layers: readonly Layer[]): void;
  /** Shorthand for draw([{points}]). */
  update(points: Points): void;
  /** Replaces the text alternative. */
  describe(label: string): void;
  /** Index of the drawn point nearest (x, y), from the last points layer drawn; −1 if none. */
  nearest(x: number, y: number): number;
  /** The canvas, for pointer interaction (use x.invert / y.invert on offsets). */
  canvas: HTMLCanvasElement;
  /** An SVG group for marks that change rarely (a trajectory, a probe). */
  overlay: SVGGElement;
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
}

const MARGIN = {top: 8, right: 8, bottom: 22, left: 30};

/** ABGR words (little-endian ImageData) for 0..255 overlapping points of one colour. */
function shades(color: string): Uint32Array {
  const {r, g, b} = rgb(color), out = new Uint32Array(256);
  for (let c = 1; c < 256; ++c) {
    const alpha = Math.round(255 * (1 - Math.pow(1 - 0.45, c)));
    out[c] = ((alpha << 24) | (b << 16) | (g << 8) | r) >>> 0;
  }
  return out;
}

/**
 * Densities are sampled per pixel (nearest cell) and points splatted into a per-pixel count buffer,
 * all in one ImageData: cost linear in pixels and points (≈1 ms for 20,000 points; arcs or SVG
 * circles were measured at 10–50× the cost). Arrows are one stroked path.
 */
export function Plane({width, height = width, extent = 3, color = "#4269d0", label, onPick, drag = false, invalidation}: PlaneOptions): Plane {
  const dpr = typeof devicePixelRatio === "number" ? Math.min(devicePixelRatio, 2) : 1;
  const x = scaleLinear([-extent, extent], [MARGIN.left, width - MARGIN.right]);
  const y = scaleLinear([-extent, extent], [height - MARGIN.bottom, MARGIN.top]);
  const root = document.createElement("div") as unknown as Plane;
  root.className = "plane";
  root.style.cssText = `position:relative;width:${width}px;height:${height}px;`;

  const canvas = document.createElement("canvas");
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  canvas.style.cssText = `position:absolute;left:0;top:0;width:${width}px;height:${height}px;touch-action:none;`;
  canvas.setAttribute("role", "img");
  const context = canvas.getContext("2d")!;
  const W = canvas.width, H = canvas.height;
  const image = context.createImageData(W, H);
  const pixels = new Uint32Array(image.data.buffer);
  const counts = new Uint16Array(W * H);
  const palettes = new Map<string, Uint32Array>();
  const palette = (c: string) => palettes.get(c) ?? palettes.set(c, shades(c)).get(c)!;
  // Pixel bounds of the plotting area, and data→pixel maps at device resolution.
  const [x0, x1] = x.range().map((v) => Math.round(v * dpr)), [y1, y0] = y.range().map((v) => Math.round(v * dpr));
  const sx = scaleLinear(x.domain(), [x0, x1]), sy = scaleLinear(y.domain(), [y1, y0]);

  const svg = select(document.createElementNS("http://www.w3.org/2000/svg", "svg"))
    .attr("width", width).attr("height", height).attr("aria-hidden", "true")
    .style("position", "absolute").style("left", 0).style("top", 0).style("overflow", "visible").style("pointer-events", "none");
  svg.append("g").attr("transform", `translate(0,${height - MARGIN.bottom})`).call(axisBottom(x).ticks(5).tickSizeOuter(0));
  svg.append("g").attr("transform", `translate(${MARGIN.left},0)`).call(axisLeft(y).ticks(5).tickSizeOuter(0));
  svg.selectAll(".domain").attr("stroke-opacity", 0.4);
  const overlay = svg.append("g").node()!;

  function paintDensity({density, rows, cols, color: c = "#8a9bd6"}: DensityLayer) {
    let max = 0;
    for (const v of density) if (v > max) max = v;
    const ramp = palette(c);
    for (let py = y0; py < y1; ++py) {
      const r = Math.min(rows - 1, Math.floor(((py - y0) / (y1 - y0)) * rows));
      for (let px = x0; px < x1; ++px) {
        const col = Math.min(cols - 1, Math.floor(((px - x0) / (x1 - x0)) * cols));
        // A density shade uses the point palette's first 6 levels: light enough to draw points over.
        pixels[py * W + px] = ramp[Math.round((density[r * cols + col] / (max || 1)) * 6)];
      }
    }
  }

  function paintImage({image, rows, cols}: ImageLayer) {
    for (let py = y0; py < y1; ++py) {
      const r = Math.min(rows - 1, Math.floor(((py - y0) / (y1 - y0)) * rows));
      for (let px = x0; px < x1; ++px) pixels[py * W + px] = image[r * cols + Math.min(cols - 1, Math.floor(((px - x0) / (x1 - x0)) * cols))];
    }
  }

  function paintPoints({points, color: c = color}: PointsLayer) {
    const size = Math.max(1, Math.round(2 * dpr)), ramp = palette(c);
    counts.fill(0);
    let touched = 0;
    for (let i = 0; i + 1 < points.length; i += 2) {
      const px = Math.round(sx(points[i])), py = Math.round(sy(points[i + 1]));
      if (px < 0 || py < 0 || px + size > W || py + size > H) continue;
      for (let dy = 0; dy < size; ++dy) {
        const row = (py + dy) * W + px;
        for (let dx = 0; dx < size; ++dx) if (counts[row + dx] < 255) counts[row + dx]++;
      }
      touched++;
    }
    if (touched) for (let j = 0; j < counts.length; ++j) if (counts[j]) pixels[j] = ramp[counts[j]];
  }

  function strokeArrows({from, vectors, color: c = "currentColor", scale = 1, width: lw = 1}: ArrowsLayer) {
    context.save();
    context.strokeStyle = c === "currentColor" ? getComputedStyle(root).color || "#333" : c;
    context.lineWidth = lw * dpr;
    context.beginPath();
    for (let i = 0; i + 1 < from.length; i += 2) {
      const ax = sx(from[i]), ay = sy(from[i + 1]);
      const bx = sx(from[i] + scale * vectors[i]), by = sy(from[i + 1] + scale * vectors[i + 1]);
      const dx = bx - ax, dy = by - ay, len = Math.hypot(dx, dy);
      if (!(len > 0.5)) continue;
      const head = Math.min(5 * dpr, len / 2.5), ux = dx / len, uy = dy / len;
      context.moveTo(ax, ay);
      context.lineTo(bx, by);
      context.lineTo(bx - head * (ux - 0.5 * uy), by - head * (uy + 0.5 * ux));
      context.moveTo(bx, by);
      context.lineTo(bx - head * (ux + 0.5 * uy), by - head * (uy - 0.5 * ux));
    }
    context.stroke();
    context.restore();
  }

  // The backdrop (densities and images) is kept once painted: a panel redrawn with new points over the
  // same arrays, as a slider's panels are every frame, copies it instead of resampling every pixel.
  let backdrop: Uint32Array | undefined, backdropKey: unknown[] = [];
  const paintBackdrop = (under: readonly (DensityLayer | ImageLayer)[]) => {
    const key = under.flatMap((l): unknown[] => ("density" in l ? [l.density, l.rows, l.cols, l.color] : [l.image, l.rows, l.cols]));
    if (backdrop && key.length === backdropKey.length && key.every((k, i) => k === backdropKey[i])) return pixels.set(backdrop);
    pixels.fill(0);
    for (const layer of under) if ("density" in layer) paintDensity(layer); else paintImage(layer);
    backdrop = under.length ? pixels.slice() : undefined;
    backdropKey = key;
  };

  let drawn: Points | undefined; // the last points layer, for `nearest`
  root.draw = (layers) => {
    drawn = undefined;
    for (const layer of layers) if ("points" in layer) drawn = layer.points;
    paintBackdrop(layers.filter((l): l is DensityLayer | ImageLayer => "density" in l || "image" in l));
    for (const layer of layers) if ("points" in layer) paintPoints(layer);
    context.putImageData(image, 0, 0);
    for (const layer of layers) if ("vectors" in layer) strokeArrows(layer);
  };
  root.update = (points) => root.draw([{points}]);
  root.describe = (text) => canvas.setAttribute("aria-label", text);
  root.describe(label);
  root.nearest = (px, py) => {
    let best = -1, bestD = Infinity;
    for (let i = 0; drawn && i + 1 < drawn.length; i += 2) {
      const d = (drawn[i] - px) ** 2 + (drawn[i + 1] - py) ** 2;
      if (d < bestD) (bestD = d), (best = i / 2);
    }
    return best;
  };
  Object.assign(root, {canvas, overlay, x, y});
  root.append(canvas, svg.node()!);
  if (onPick) listenForPicks(canvas, x, y, onPick, drag, invalidation);
  return root;
}

/** Pointer listeners that report presses (and drags) in data coordinates, removed on `invalidation`. */
function listenForPicks(canvas: HTMLCanvasElement, x: ScaleLinear<number, number>, y: ScaleLinear<number, number>,
  onPick: (point: [number, number]) => void, drag: boolean, invalidation?: Promise<unknown>) {
  let pressed = false;
  const pick = (event: PointerEvent) => {
    const rect = canvas.getBoundingClientRect();
    onPick([x.invert(event.clientX - rect.left), y.invert(event.clientY - rect.top)]);
  };
  const listeners: [string, (event: PointerEvent) => void][] = [["pointerdown", (event) => {
    pressed = drag;
    // Captured, a drag that leaves the canvas keeps reporting until the pointer is released.
    if (drag) canvas.setPointerCapture?.(event.pointerId);
    pick(event);
  }]];
  if (drag) {
    listeners.push(["pointermove", (event) => { if (pressed) pick(event); }]);
    for (const type of ["pointerup", "pointercancel"]) listeners.push([type, () => (pressed = false)]);
  }
  for (const [type, listener] of listeners) canvas.addEventListener(type, listener as EventListener);
  invalidation?.then(() => { for (const [type, listener] of listeners) canvas.removeEventListener(type, listener as EventListener); });
}
