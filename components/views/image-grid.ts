// A grid of small RGB images on one <canvas>, drawn at one canvas pixel per image pixel and scaled
// up by CSS without smoothing, so a 16×16 image stays crisp at any size. update() redraws in place.
import {IMAGE_SIDE, IMAGE_SIZE} from "../math/toy-images.js";

export interface ImageGridOptions {
  width: number;
  columns: number;
  /** Text alternative for the canvas. */
  label: string;
  /** Gap between images, in image pixels. */
  gap?: number;
  /** Number of cells (default: as many as the first update's images, rounded up to full rows). */
  cells?: number;
}

export interface ImageGrid extends HTMLCanvasElement {
  /** Redraws from images [n, IMAGE_SIZE] on [0, 1]; cells past n are left blank. */
  update(images: ArrayLike<number>): void;
}

/** Images [n, 16·16·3] on [0, 1] laid out in `columns` columns. */
export function ImageGrid(images: ArrayLike<number>, o: ImageGridOptions): ImageGrid {
  const gap = o.gap ?? 1, side = IMAGE_SIDE;
  const cells = o.cells ?? Math.max(1, Math.ceil(images.length / IMAGE_SIZE));
  const rows = Math.ceil(cells / o.columns);
  const canvas = document.createElement("canvas") as ImageGrid;
  canvas.width = o.columns * (side + gap) - gap;
  canvas.height = rows * (side + gap) - gap;
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", o.label);
  canvas.style.cssText = `width:${o.width}px;max-width:100%;height:auto;image-rendering:pixelated;background:#222;display:block;`;
  const context = canvas.getContext("2d")!;
  const frame = context.createImageData(canvas.width, canvas.height);

  canvas.update = (values) => {
    frame.data.fill(0);
    const n = Math.min(cells, Math.floor(values.length / IMAGE_SIZE));
    for (let i = 0; i < n; ++i) {
      const x0 = (i % o.columns) * (side + gap), y0 = Math.floor(i / o.columns) * (side + gap);
      for (let y = 0; y < side; ++y) {
        for (let x = 0; x < side; ++x) {
          const src = i * IMAGE_SIZE + (y * side + x) * 3, dst = ((y0 + y) * canvas.width + x0 + x) * 4;
          for (let c = 0; c < 3; ++c) frame.data[dst + c] = Math.round(255 * Math.min(1, Math.max(0, values[src + c])));
          frame.data[dst + 3] = 255;
        }
      }
    }
    context.putImageData(frame, 0, 0);
  };
  canvas.update(images);
  return canvas;
}
