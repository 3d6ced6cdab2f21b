// Captioned toy images for the latent-diffusion chapter: a coloured shape of some size at some
// place on a black 16×16 canvas, with a caption from a small grammar ("a small red circle on the
// left"). Everything is drawn from a seed, so the build, the tests and the reader's browser see the
// same images, and no image file is downloaded.
import type {Rng} from "./types.js";

/** The words of each attribute, in the order the caption's grammar uses them. */
export const SHAPES = ["circle", "square", "triangle", "cross", "ring"] as const;
export const COLOURS = ["red", "green", "blue", "yellow", "purple"] as const;
export const SIZES = ["small", "large"] as const;
export const POSITIONS = ["left", "right", "top", "bottom"] as const;

/** The four attributes, in caption order, with their words. */
export const ATTRIBUTES = [
  {name: "size", words: SIZES},
  {name: "colour", words: COLOURS},
  {name: "shape", words: SHAPES},
  {name: "position", words: POSITIONS},
] as const;
export type AttributeName = (typeof ATTRIBUTES)[number]["name"];

/** One image's attributes, as indices into SIZES, COLOURS, SHAPES and POSITIONS. */
export interface Attributes {
  size: number;
  colour: number;
  shape: number;
  position: number;
}

/** Side of the square image, pixels. */
export const IMAGE_SIDE = 16;
/** Colour channels (RGB). */
export const CHANNELS = 3;
/** Values per image: side² · channels, stored row-major as [y][x][channel]. */
export const IMAGE_SIZE = IMAGE_SIDE * IMAGE_SIDE * CHANNELS;

/** Each colour's RGB in [0, 1]: far apart, so a colour word names one hue unambiguously. */
export const RGB: Record<(typeof COLOURS)[number], [number, number, number]> = {
  red: [0.92, 0.16, 0.12],
  green: [0.16, 0.78, 0.22],
  blue: [0.2, 0.38, 0.98],
  yellow: [0.96, 0.86, 0.12],
  purple: [0.68, 0.22, 0.9],
};

/**
 * Half-extent of a shape, pixels, before jitter: a small shape is ~6 px across, a large one ~10 —
 * the smallest at which a small ring still shows its hole and a small square its corners.
 */
const RADIUS = [3, 5];
/** Centre of each position (x, y) in pixels; the coordinate the word does not fix is the middle. */
const CENTRE: [number, number][] = [[5, 8], [11, 8], [8, 5], [8, 11]];

/**
 * Combinations of (shape, colour) never shown in training, one per shape and one per colour (a
 * diagonal of the shape × colour table), so every word is still seen with four partners of the other
 * attribute: the held-out prompts ask whether the model composes words it never saw together.
 */
export const HELD_OUT: readonly [shape: number, colour: number][] = [[0, 2], [1, 3], [2, 0], [3, 4], [4, 1]];

/** Whether an image with these attributes belongs to a held-out combination. */
export function isHeldOut(a: Attributes): boolean {
  return HELD_OUT.some(([shape, colour]) => a.shape === shape && a.colour === colour);
}

/** Every combination of the four attributes (5·5·2·4 = 200), in a fixed order. */
export function allCombinations(): Attributes[] {
  const out: Attributes[] = [];
  for (let shape = 0; shape < SHAPES.length; ++shape)
    for (let colour = 0; colour < COLOURS.length; ++colour)
      for (let size = 0; size < SIZES.length; ++size)
        for (let position = 0; position < POSITIONS.length; ++position) out.push({size, colour, shape, position});
  return out;
}

/** "a small red circle on the left". */
export function captionFor(a: Attributes): string {
  const where = a.position < 2 ? `on the ${POSITIONS[a.position]}` : `at the ${POSITIONS[a.position]}`;
  return `a ${SIZES[a.size]} ${COLOURS[a.colour]} ${SHAPES[a.shape]} ${where}`;
}

/**
 * Whether the point (dx, dy), relative to the shape's centre, lies inside a shape of half-extent r.
 * Areas are kept within a factor ~2 of each other so size reads the same for every shape.
 */
function inside(shape: number, dx: number, dy: number, r: number): boolean {
  switch (shape) {
    case 0: return dx * dx + dy * dy <= r * r;
    case 1: return Math.abs(dx) <= 0.85 * r && Math.abs(dy) <= 0.85 * r;
    case 2: {
      // Apex up at (0, −r), base at y = 0.8r from −r to r: inside when below both slanted edges.
      if (dy > 0.8 * r || dy < -r) return false;
      const halfWidth = (r * (dy + r)) / (1.8 * r);
      return Math.abs(dx) <= halfWidth;
    }
    case 3: {
      const arm = 0.36 * r;
      return (Math.abs(dx) <= arm && Math.abs(dy) <= r) || (Math.abs(dy) <= arm && Math.abs(dx) <= r);
    }
    default: {
      const d2 = dx * dx + dy * dy;
      return d2 <= r * r && d2 >= 0.3 * r * r;
    }
  }
}

/** How one image deviates from its caption's nominal look: centre offset, radius and brightness. */
export interface Jitter {
  dx: number;
  dy: number;
  /** Added to the nominal half-extent, pixels. */
  dr: number;
  /** Multiplies the colour. */
  brightness: number;
}

/**
 * A random jitter: offsets up to ±1 px, radius ±0.35 px, brightness 0.85–1.05, each deviation
 * times `scale` (brightness about its centre 0.95).
 */
export function drawJitter(rng: Rng, scale = 1): Jitter {
  const dx = 2 * rng() - 1, dy = 2 * rng() - 1, dr = 0.7 * rng() - 0.35, brightness = 0.85 + 0.2 * rng();
  if (scale === 1) return {dx, dy, dr, brightness};
  return {dx: scale * dx, dy: scale * dy, dr: scale * dr, brightness: 0.95 + scale * (brightness - 0.95)};
}

/** Sub-samples per pixel side: each pixel's value is the shape's coverage of a 4×4 grid in it. */
const SUPER = 4;

/**
 * Draws one image into `out` (IMAGE_SIZE values in [0, 1], [y][x][rgb]) at `offset`: the shape's
 * colour times its anti-aliased coverage of each pixel, on black.
 */
export function renderImage(a: Attributes, j: Jitter, out = new Float32Array(IMAGE_SIZE), offset = 0): Float32Array {
  const [cx, cy] = CENTRE[a.position];
  const x0 = cx + j.dx, y0 = cy + j.dy, r = RADIUS[a.size] + j.dr;
  const rgb = RGB[COLOURS[a.colour]];
  for (let y = 0; y < IMAGE_SIDE; ++y) {
    for (let x = 0; x < IMAGE_SIDE; ++x) {
      let hits = 0;
      for (let sy = 0; sy < SUPER; ++sy)
        for (let sx = 0; sx < SUPER; ++sx)
          if (inside(a.shape, x + (sx + 0.5) / SUPER - x0, y + (sy + 0.5) / SUPER - y0, r)) ++hits;
      const cover = (hits / (SUPER * SUPER)) * j.brightness;
      const k = offset + (y * IMAGE_SIDE + x) * CHANNELS;
      out[k] = cover * rgb[0];
      out[k + 1] = cover * rgb[1];
      out[k + 2] = cover * rgb[2];
    }
  }
  return out;
}

/** A batch of captioned images: pixels [n, IMAGE_SIZE] and each image's attributes. */
export interface ImageSet {
  n: number;
  pixels: Float32Array;
  attributes: Attributes[];
}

/**
 * n images with uniformly drawn attributes (rejecting held-out combinations unless `heldOut` is
 * "include"; "only" draws from them alone) and jitter (drawJitter's, times `jitter`), all from `rng`.
 */
export function sampleImages(n: number, rng: Rng, {heldOut = "exclude", jitter = 1}: {heldOut?: "exclude" | "include" | "only"; jitter?: number} = {}): ImageSet {
  const pixels = new Float32Array(n * IMAGE_SIZE);
  const attributes: Attributes[] = [];
  const pick = (k: number) => Math.min(k - 1, Math.floor(rng() * k));
  while (attributes.length < n) {
    const a = {size: pick(SIZES.length), colour: pick(COLOURS.length), shape: pick(SHAPES.length), position: pick(POSITIONS.length)};
    const held = isHeldOut(a);
    if ((heldOut === "exclude" && held) || (heldOut === "only" && !held)) continue;
    renderImage(a, drawJitter(rng, jitter), pixels, attributes.length * IMAGE_SIZE);
    attributes.push(a);
  }
  return {n, pixels, attributes};
}

/** n images of one attribute combination (e.g. a prompt's), with fresh jitter from `rng` (drawJitter's, times `jitter`). */
export function imagesOf(a: Attributes, n: number, rng: Rng, jitter = 1): Float32Array {
  const pixels = new Float32Array(n * IMAGE_SIZE);
  for (let i = 0; i < n; ++i) renderImage(a, drawJitter(rng, jitter), pixels, i * IMAGE_SIZE);
  return pixels;
}

/**
 * n real images a prompt describes: the attributes it names, the others drawn uniformly per image
 * (held-out combinations included: they are real images, just never shown to the models), with
 * drawJitter's jitter times `jitter`.
 */
export function imagesForPrompt(asked: Partial<Attributes>, n: number, rng: Rng, jitter = 1): ImageSet {
  const pixels = new Float32Array(n * IMAGE_SIZE);
  const pick = (k: number) => Math.min(k - 1, Math.floor(rng() * k));
  const attributes = Array.from({length: n}, (_, i) => {
    const a: Attributes = {
      size: asked.size ?? pick(SIZES.length), colour: asked.colour ?? pick(COLOURS.length),
      shape: asked.shape ?? pick(SHAPES.length), position: asked.position ?? pick(POSITIONS.length),
    };
    renderImage(a, drawJitter(rng, jitter), pixels, i * IMAGE_SIZE);
    return a;
  });
  return {n, pixels, attributes};
}
