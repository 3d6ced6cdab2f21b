// Exact noised densities q_t(x) of the 1D data sets, for the forward chapter's space–time heatmap.
import {MIXTURES_1D, UNIFORM_1D, type Dataset1DName} from "./datasets.js";
import {density1D} from "./mixture.js";

/** Φ, the standard normal CDF, via erfc (Abramowitz & Stegun 7.1.26-style rational bound, |err| < 1.2e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2, t = 1 / (1 + 0.5 * x);
  const erfc = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/**
 * q_t(x) for a named 1D data set at noise level ᾱ. Mixtures stay mixtures (means √ᾱμ, variances
 * ᾱσ² + 1−ᾱ); the uniform U[a, b] becomes (Φ((x−√ᾱa)/s) − Φ((x−√ᾱb)/s)) / (√ᾱ(b−a)), s = √(1−ᾱ),
 * the convolution of a scaled uniform with N(0, s²).
 */
export function marginal1D(name: Dataset1DName, alphaBar: number, x: number): number {
  if (name !== "uniform") return density1D(MIXTURES_1D[name], alphaBar, x);
  const {low, high} = UNIFORM_1D, a = Math.sqrt(alphaBar), s = Math.sqrt(1 - alphaBar);
  if (s === 0) return x >= low && x <= high ? 1 / (high - low) : 0;
  if (a === 0) return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI); // ᾱ = 0: pure noise
  return (normalCdf((x - a * low) / s) - normalCdf((x - a * high) / s)) / (a * (high - low));
}

/**
 * The space–time grid [rows, cols]: column c is t = c·T/(cols−1) steps (ᾱ from `alphaBarOf`),
 * row r is x from yMax (top) down to −yMax.
 */
export function marginalGrid(name: Dataset1DName, alphaBarOf: (t: number) => number, T: number, cols: number, rows: number, yMax: number): Float64Array {
  const values = new Float64Array(rows * cols);
  for (let c = 0; c < cols; ++c) {
    const ab = alphaBarOf(Math.round((c * T) / (cols - 1)));
    for (let r = 0; r < rows; ++r) values[r * cols + c] = marginal1D(name, ab, yMax - (2 * yMax * (r + 0.5)) / rows);
  }
  return values;
}
