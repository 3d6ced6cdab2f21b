// Between images and the token layout the latent-diffusion networks read: an image of side S is cut
// into (S/p)² patches of p×p pixels, each patch's values in [y][x][rgb] order, and values move from
// [0, 1] (display) to [−1, 1] (the networks' scale, centred like the noise they are mixed with).
import {CHANNELS, IMAGE_SIDE} from "./toy-images.js";

/** Values per patch of side p. */
export const patchValues = (p: number): number => p * p * CHANNELS;
/** Patches per image for patch side p. */
export const patchCount = (p: number): number => (IMAGE_SIDE / p) ** 2;

/**
 * Images [n, S, S, 3] on [0, 1] → patches [n, (S/p)², p·p·3] on [−1, 1] (x ↦ 2x − 1), patches in
 * raster order (row of patches first), pixels within a patch in raster order.
 */
export function patchify(images: Float32Array, p: number): Float32Array {
  return reorder(images, p, true);
}

/** The inverse of patchify: patches on [−1, 1] → images on [0, 1] (clipped to [0, 1]). */
export function unpatchify(patches: Float32Array | Float64Array, p: number): Float32Array {
  return reorder(patches, p, false);
}

function reorder(src: Float32Array | Float64Array, p: number, forward: boolean): Float32Array {
  const S = IMAGE_SIDE, C = CHANNELS, per = S * S * C, grid = S / p;
  if (!Number.isInteger(grid)) throw new RangeError(`patch side ${p} does not divide the image side ${S}`);
  if (src.length % per) throw new RangeError(`expected a multiple of ${per} values, got ${src.length}`);
  const out = new Float32Array(src.length);
  for (let n = 0; n < src.length / per; ++n) {
    for (let y = 0; y < S; ++y) {
      for (let x = 0; x < S; ++x) {
        const image = n * per + (y * S + x) * C;
        const patch = n * per + ((Math.floor(y / p) * grid + Math.floor(x / p)) * p * p + (y % p) * p + (x % p)) * C;
        for (let c = 0; c < C; ++c) {
          if (forward) out[patch + c] = 2 * src[image + c] - 1;
          else out[image + c] = Math.min(1, Math.max(0, (src[patch + c] + 1) / 2));
        }
      }
    }
  }
  return out;
}
