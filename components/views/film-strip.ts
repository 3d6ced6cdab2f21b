// The film strip of a sampling run: for each of a few images, x̂0 — the model's guess of the clean
// image — decoded at every step, left (pure noise) to right (the final image), with the timestep
// of each column above it.
import {IMAGE_SIZE} from "../math/toy-images.js";
import {ImageGrid} from "./image-grid.js";

export interface FilmStripOptions {
  width: number;
  /** Images (rows) to show out of the run's n. */
  rows: number;
  label: string;
}

export interface FilmStrip extends HTMLDivElement {
  /** film: [steps, n, IMAGE_SIZE]; ts: each step's timestep. */
  update(film: Float32Array, n: number, ts: readonly number[]): void;
}

export function FilmStrip(o: FilmStripOptions): FilmStrip {
  const root = document.createElement("div") as FilmStrip;
  root.className = "film-strip";
  let grid: ReturnType<typeof ImageGrid> | null = null;
  const header = document.createElement("div");
  header.style.cssText = "display:flex;justify-content:space-between;font:11px var(--sans-serif);color:var(--theme-foreground);";
  root.append(header);
  root.update = (film, n, ts) => {
    const steps = ts.length, rows = Math.min(o.rows, n);
    const images = new Float32Array(rows * steps * IMAGE_SIZE);
    for (let r = 0; r < rows; ++r)
      for (let s = 0; s < steps; ++s) images.set(film.subarray((s * n + r) * IMAGE_SIZE, (s * n + r + 1) * IMAGE_SIZE), (r * steps + s) * IMAGE_SIZE);
    if (!grid || grid.width !== steps * 17 - 1 || grid.height !== rows * 17 - 1) {
      grid?.remove();
      grid = ImageGrid(images, {width: o.width, columns: steps, cells: rows * steps, label: o.label});
      root.append(grid);
    } else grid.update(images);
    header.replaceChildren(...[ts[0], ts[Math.floor(steps / 2)], "x̂0 →"].map((t) => {
      const span = document.createElement("span");
      span.textContent = typeof t === "number" ? `t = ${t}` : t;
      return span;
    }));
  };
  return root;
}
