// One colour per class, the same in every view of the guidance chapter (Observable's categorical
// palette, which stays distinct on light and dark themes), and the posterior map's pixels.
import {rgb} from "d3-color";

/** The class palette: ClassInfo.color indexes it. */
export const CLASS_PALETTE: readonly string[] = ["#4269d0", "#efb118", "#ff725c", "#6cc5b0", "#3ca951", "#ff8ab7", "#a463f2", "#97bbf5"];

/** What a reader calls each palette colour (ink names on the drawing pad). */
export const CLASS_COLOR_NAMES: readonly string[] = ["blue", "yellow", "red", "teal", "green", "pink", "purple", "light blue"];

/** The CSS colour of palette index k (wrapping past the end). */
export function classColor(k: number): string {
  return CLASS_PALETTE[((k % CLASS_PALETTE.length) + CLASS_PALETTE.length) % CLASS_PALETTE.length];
}

/**
 * Pixels (ABGR words, as ImageData's Uint32 view on little-endian machines) for a posterior map:
 * cell i takes Σ_c p(c | x_i)·colour_c, so a sure cell shows its class's colour and an undecided one a
 * muddy mix, with opacity 0.15 + 0.5·(max_c p − 1/C)/(1 − 1/C): the less sure, the fainter.
 * posterior: [cells, C] rows summing to 1; colors: [C] CSS colours.
 */
export function posteriorPixels(posterior: Float64Array, colors: readonly string[]): Uint32Array {
  const C = colors.length, cells = posterior.length / C, out = new Uint32Array(cells);
  const rgbs = colors.map((c) => rgb(c));
  for (let i = 0; i < cells; ++i) {
    let r = 0, g = 0, b = 0, max = 0;
    for (let c = 0; c < C; ++c) {
      const p = posterior[i * C + c];
      r += p * rgbs[c].r; g += p * rgbs[c].g; b += p * rgbs[c].b;
      if (p > max) max = p;
    }
    const sure = C > 1 ? (max - 1 / C) / (1 - 1 / C) : 1, alpha = Math.round(255 * (0.15 + 0.5 * sure));
    out[i] = ((alpha << 24) | (Math.round(b) << 16) | (Math.round(g) << 8) | Math.round(r)) >>> 0;
  }
  return out;
}
