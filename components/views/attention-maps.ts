// Where each word of the prompt is read: the denoiser's cross-attention weights (averaged over its
// blocks and heads) as one 4×4 map per token over the latent's cells, beside the image the cells
// become. Each cell's weights sum to 1 over the tokens, so the maps of one step add up to all-ones.
import {interpolateMagma} from "d3-scale-chromatic";
import {rgb} from "d3-color";

export interface AttentionMapsOptions {
  width: number;
  /** Side of the latent grid (4 for 4×4 cells). */
  side: number;
  label: string;
}

export interface AttentionMaps extends HTMLDivElement {
  /** weights: [cells, L] for one image at one step; words: the L tokens' names (padding as ""). */
  update(weights: ArrayLike<number>, words: readonly string[]): void;
}

export function AttentionMaps(o: AttentionMapsOptions): AttentionMaps {
  const root = document.createElement("div") as AttentionMaps;
  root.setAttribute("role", "group");
  root.setAttribute("aria-label", o.label);
  root.style.cssText = "display:flex;flex-wrap:wrap;gap:8px;";
  const size = Math.max(48, Math.min(96, Math.floor(o.width / 6) - 8));
  root.update = (weights, words) => {
    const L = words.length, cells = o.side * o.side;
    const panels = words.flatMap((word, j) => {
      if (!word) return [];
      const figure = document.createElement("figure");
      figure.style.cssText = `margin:0;width:${size}px;text-align:center;font:12px var(--sans-serif);`;
      const canvas = document.createElement("canvas");
      canvas.width = canvas.height = o.side;
      const mean = Array.from({length: cells}, (_, c) => weights[c * L + j]).reduce((a, b) => a + b, 0) / cells;
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", `Attention to “${word}” over the ${o.side}×${o.side} latent cells (mean weight ${mean.toFixed(2)})`);
      canvas.style.cssText = `width:${size}px;height:${size}px;image-rendering:pixelated;display:block;`;
      const context = canvas.getContext("2d")!;
      const frame = context.createImageData(o.side, o.side);
      for (let c = 0; c < cells; ++c) {
        const color = rgb(interpolateMagma(Math.min(1, Math.max(0, weights[c * L + j]))));
        frame.data.set([color.r, color.g, color.b, 255], c * 4);
      }
      context.putImageData(frame, 0, 0);
      const caption = document.createElement("figcaption");
      caption.textContent = word;
      figure.append(canvas, caption);
      return [figure];
    });
    root.replaceChildren(...panels);
  };
  return root;
}
