// One reverse step drawn in its own window: the exact density of q(x_s | x_t) as a heatmap on a
// canvas, and the Gaussian a sampler uses as 1σ and 2σ circles in SVG above it. The window follows
// the step (its centre and size change from step to step), so the axes are redrawn on update.
import {axisBottom, axisLeft} from "d3-axis";
import {rgb} from "d3-color";
import {scaleLinear} from "d3-scale";
import {select} from "d3-selection";

/** A circle-contoured isotropic Gaussian to draw over the density. */
export interface StepGaussian {
  mean: readonly [number, number];
  sd: number;
  color: string;
  dash?: string;
}

/** What one panel shows: the exact step's density over a window, DDPM's Gaussians and the readouts. */
export interface ReverseStepData {
  /** Heading above the plot, e.g. "T = 100: t 300 → 290". */
  title: string;
  /** Lines of text below the plot (the KL readouts). */
  caption: readonly string[];
  /** Exposed as data-kl on the figure, for readers' tools and tests. */
  kl: number;
  /** Density values at the cells of a k×k grid over the window, row 0 at the top. */
  density: Float64Array;
  k: number;
  /** The window: [cx − half, cx + half] × [cy − half, cy + half]. */
  center: readonly [number, number];
  half: number;
  gaussians: readonly StepGaussian[];
  /** Text alternative for this state. */
  label: string;
}

/** The panel element; `update` redraws it in place. */
export interface ReverseStepPanel extends HTMLElement {
  update(data: ReverseStepData): void;
}

const MARGIN = {top: 6, right: 6, bottom: 22, left: 36};

/** A figure: heading, the plot (width × width px) and a caption; `key` goes to data-steps. */
export function ReverseStepPanel({width, key, color = "#4269d0"}: {width: number; key: string; color?: string}): ReverseStepPanel {
  const height = width, dpr = typeof devicePixelRatio === "number" ? Math.min(devicePixelRatio, 2) : 1;
  const root = document.createElement("figure") as unknown as ReverseStepPanel;
  root.className = "reverse-step";
  root.dataset.steps = key;
  root.style.cssText = `margin:0;width:${width}px;`;
  const heading = document.createElement("h3"), caption = document.createElement("figcaption");
  heading.style.cssText = "margin:0 0 0.25rem;font-size:14px;";
  // Full contrast: the theme greys figure captions below WCAG AA.
  caption.style.cssText = "font:12px var(--sans-serif);font-variant-numeric:tabular-nums;color:var(--theme-foreground);";
  const plot = document.createElement("div");
  plot.style.cssText = `position:relative;width:${width}px;height:${height}px;`;
  const canvas = document.createElement("canvas");
  const iw = width - MARGIN.left - MARGIN.right, ih = height - MARGIN.top - MARGIN.bottom;
  canvas.width = Math.round(iw * dpr);
  canvas.height = Math.round(ih * dpr);
  canvas.style.cssText = `position:absolute;left:${MARGIN.left}px;top:${MARGIN.top}px;width:${iw}px;height:${ih}px;`;
  canvas.setAttribute("role", "img");
  const context = canvas.getContext("2d")!, image = context.createImageData(canvas.width, canvas.height);
  const pixels = new Uint32Array(image.data.buffer);
  const {r, g, b} = rgb(color);
  const ramp = Uint32Array.from({length: 256}, (_, c) => ((Math.round(c * 0.85) << 24) | (b << 16) | (g << 8) | r) >>> 0);
  const svg = select(document.createElementNS("http://www.w3.org/2000/svg", "svg"))
    .attr("width", width).attr("height", height).attr("aria-hidden", "true")
    .style("position", "absolute").style("left", 0).style("top", 0).style("overflow", "visible").style("pointer-events", "none");
  const xAxis = svg.append("g").attr("transform", `translate(0,${height - MARGIN.bottom})`);
  const yAxis = svg.append("g").attr("transform", `translate(${MARGIN.left},0)`);
  const marks = svg.append("g").attr("fill", "none");
  plot.append(canvas, svg.node()!);
  root.append(heading, plot, caption);

  root.update = ({title, caption: lines, kl, density, k, center, half, gaussians, label}) => {
    heading.textContent = title;
    caption.replaceChildren(...lines.map((line) => Object.assign(document.createElement("div"), {textContent: line})));
    root.dataset.kl = String(kl);
    const x = scaleLinear([center[0] - half, center[0] + half], [MARGIN.left, width - MARGIN.right]);
    const y = scaleLinear([center[1] - half, center[1] + half], [height - MARGIN.bottom, MARGIN.top]);
    xAxis.call(axisBottom(x).ticks(3).tickSizeOuter(0));
    yAxis.call(axisLeft(y).ticks(3).tickSizeOuter(0));
    let max = 0;
    for (const v of density) if (v > max) max = v;
    const W = canvas.width, H = canvas.height;
    for (let py = 0; py < H; ++py) {
      const row = Math.min(k - 1, Math.floor((py / H) * k));
      for (let px = 0; px < W; ++px) {
        const col = Math.min(k - 1, Math.floor((px / W) * k));
        pixels[py * W + px] = ramp[Math.round((density[row * k + col] / (max || 1)) * 255)];
      }
    }
    context.putImageData(image, 0, 0);
    const rings = gaussians.flatMap((gauss) => [1, 2].map((n) => ({gauss, n})));
    marks.selectAll("circle").data(rings).join("circle")
      .attr("cx", ({gauss}) => x(gauss.mean[0])).attr("cy", ({gauss}) => y(gauss.mean[1]))
      .attr("r", ({gauss, n}) => Math.abs(x(center[0] + n * gauss.sd) - x(center[0])))
      .attr("stroke", ({gauss}) => gauss.color).attr("stroke-width", ({n}) => (n === 1 ? 2 : 1.2))
      .attr("stroke-dasharray", ({gauss}) => gauss.dash ?? null);
    canvas.setAttribute("aria-label", label);
  };
  return root;
}
