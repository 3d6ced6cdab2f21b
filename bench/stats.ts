// Summaries of timing samples: the typical value, the bad tail and how often a budget was missed.
import {max, median, quantile} from "d3-array";

export interface Summary {
  median: number;
  /** 95th percentile, linearly interpolated between order statistics (d3.quantile, R-7). */
  p95: number;
  max: number;
}

/** median, p95 and max of samples (NaN for an empty list, so a missing measurement shows). */
export function summarise(samples: readonly number[]): Summary {
  return {
    median: median(samples) ?? NaN,
    p95: quantile(samples, 0.95) ?? NaN,
    max: max(samples) ?? NaN,
  };
}

/** How many samples exceed `limit` (strictly). */
export function countAbove(samples: readonly number[], limit: number): number {
  let count = 0;
  for (const s of samples) if (s > limit) ++count;
  return count;
}

/** x rounded to `digits` decimals, for tables and JSON that stay readable. */
export function round(x: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(x * scale) / scale;
}
