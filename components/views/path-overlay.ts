// A few points' paths through a sampler's states, drawn as SVG polylines in a Plane's overlay (the
// paths change once a frame at most and number a few dozen, which SVG handles without effort).
import type {Plane} from "./plane.js";
import type {Points} from "../math/types.js";

export interface PathOverlay {
  /**
   * Draws, for each tracked index i, the line through frames[0][i], frames[1][i], … and a dot at
   * its last position. frames: states [n, 2] in order (null entries are skipped). The same array
   * (by identity) as the last call is not redrawn.
   */
  update(frames: readonly (Points | null)[]): void;
  clear(): void;
}

let uid = 0;

/** Paths of the points `indices` on `plane`, clipped to its plotting area. */
export function PathOverlay(plane: Plane, indices: readonly number[], {color = "currentColor", width = 1, opacity = 0.75} = {}): PathOverlay {
  const ns = "http://www.w3.org/2000/svg";
  const svg = plane.overlay.ownerSVGElement!;
  const id = `path-overlay-clip-${++uid}`;
  const [x0, x1] = plane.x.range(), [y1, y0] = plane.y.range();
  const clip = document.createElementNS(ns, "clipPath");
  clip.id = id;
  clip.innerHTML = `<rect x="${x0}" y="${y0}" width="${x1 - x0}" height="${y1 - y0}"></rect>`;
  svg.prepend(clip);
  const group = document.createElementNS(ns, "g");
  group.setAttribute("clip-path", `url(#${id})`);
  group.setAttribute("fill", "none");
  group.setAttribute("stroke", color);
  group.setAttribute("stroke-width", String(width));
  group.setAttribute("stroke-opacity", String(opacity));
  const lines = indices.map(() => group.appendChild(document.createElementNS(ns, "path")));
  const heads = group.appendChild(document.createElementNS(ns, "path"));
  heads.setAttribute("stroke-width", "4");
  heads.setAttribute("stroke-linecap", "round");
  heads.setAttribute("stroke-opacity", "1");
  plane.overlay.append(group);

  const px = (v: number) => plane.x(v).toFixed(1), py = (v: number) => plane.y(v).toFixed(1);
  let drawn: readonly (Points | null)[] | null = null;
  return {
    update(frames) {
      // A cell that re-runs for another reason hands over the same frames: nothing to redraw.
      if (frames === drawn) return;
      drawn = frames;
      let dots = "";
      indices.forEach((i, k) => {
        let d = "", last = "";
        for (const f of frames) {
          if (!f || 2 * i + 1 >= f.length || !Number.isFinite(f[2 * i]) || !Number.isFinite(f[2 * i + 1])) continue;
          last = `${px(f[2 * i])},${py(f[2 * i + 1])}`;
          d += `${d ? "L" : "M"}${last}`;
        }
        lines[k].setAttribute("d", d);
        // A zero-length segment with a round cap draws a dot.
        if (last) dots += `M${last}l0,0`;
      });
      heads.setAttribute("d", dots);
    },
    clear() {
      drawn = null;
      for (const line of lines) line.removeAttribute("d");
      heads.removeAttribute("d");
    },
  };
}
