// The time-to-quality score of a model's samples: the yardstick's distance (math/metrics.ts
// qualityYardstick) averaged over several independent draws of samples. Kept apart from metrics.ts,
// whose code keys build-time caches (the learned-variance model, /faster's suite) that do not use it.
import {YARDSTICK, type QualityYardstick} from "./metrics.js";
import type {Points} from "./types.js";

/**
 * Independent n-point draws of a model's samples whose SW₂ to the held-out points is averaged for
 * its score, as the yardstick's reference averages YARDSTICK.pairs pairs of data draws: one draw's
 * SW₂ varies as much as one pair's. With a single draw (fixed noise, reused at every check) a model
 * could sit above the threshold for good while its mean over other draws was well below it; even the
 * data itself, drawn with seeds 100–139, scored 0.026–0.10 with one draw, over the threshold in 7 of
 * 280 draws over the 7 built-in data sets.
 */
export const SCORE_DRAWS = 5;

/**
 * The time-to-quality score: the mean `yardstick.distance` of the SCORE_DRAWS consecutive n-point
 * blocks of `samples` [SCORE_DRAWS·n, d] (independent draws when the samples are i.i.d., as a
 * sampler's are). Quality is reached at score ≤ yardstick.threshold. n and d: the yardstick's.
 */
export function qualityScore(yardstick: QualityYardstick, samples: Points, {n = YARDSTICK.n, d = 2} = {}): number {
  if (samples.length !== SCORE_DRAWS * n * d) throw new RangeError(`qualityScore: expected ${SCORE_DRAWS} × ${n} points, got ${samples.length / d}`);
  let sum = 0;
  for (let k = 0; k < SCORE_DRAWS; ++k) sum += yardstick.distance(samples.subarray(k * n * d, (k + 1) * n * d));
  return sum / SCORE_DRAWS;
}
