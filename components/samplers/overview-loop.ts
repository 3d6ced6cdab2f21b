// The Overview's loop, as data: a cloud noised forward in closed form until nothing is left, then
// carried back to data by a deterministic sampler on the exact denoiser, forever. No DOM: a view
// pulls one frame per animation frame (see noise-loop-view.ts).
import {noiseWith} from "../math/forward.js";
import {exactDenoiser, sampleMixture, type Mixture} from "../math/mixture.js";
import {fillNormal} from "../math/random.js";
import {alphaBarAfter, type Schedule} from "../math/schedules.js";
import {ddimSteps} from "./index.js";
import type {Points, Rng} from "../math/types.js";

export interface LoopOptions {
  mixture: Mixture;
  schedule: Schedule;
  /** Points in the cloud. */
  n: number;
  /** Draws the first cloud and each forward pass's noise ε. */
  rng: Rng;
  /** Frames of the forward pass after its first, k = 0 → T in even steps (default 180). */
  forwardFrames?: number;
  /** DDIM steps of the reverse pass, one frame each (default 180). */
  reverseSteps?: number;
  /** Extra frames held on pure noise and on clean data (defaults 30 and 60). */
  holdNoise?: number;
  holdData?: number;
  /** Stop after this many forward–reverse cycles (default: never). */
  cycles?: number;
}

export type Direction = "forward" | "reverse";

/** One picture of the loop. A held frame is the same object yielded again. */
export interface LoopFrame {
  direction: Direction;
  /**
   * Noise steps the cloud carries, 0…T, counted as on the forward page: x has the law of
   * q(x_k | x0) with ᾱ = alphaBarAfter(schedule, k).
   */
  k: number;
  alphaBar: number;
  /** The cloud, [n, 2]. Never written after it is yielded. */
  x: Points;
  /** Forward–reverse cycles begun, from 0. */
  cycle: number;
  /** Position within this direction's pass, 0…of. */
  step: number;
  of: number;
}

/**
 * Yields, per cycle: the forward pass x_k = √ᾱ_k·x0 + √(1−ᾱ_k)·ε (Ho, Jain & Abbeel 2020, eq. 4)
 * for k = round(T·j/forwardFrames), j = 0…forwardFrames, with one ε ~ N(0, I) per pass so each
 * frame is the same draw seen at a larger k; then DDIM with η = 0 (Song, Meng & Ermon 2021, eq. 12)
 * on the mixture's exact ε̂, from that pass's last cloud, over `reverseSteps` evenly spaced
 * ("linspace") timesteps down to clean data. The next cycle noises the reverse pass's samples with
 * fresh ε, so the loop is seamless and never repeats. The reverse pass does not retrace the forward
 * one: it maps noise to data deterministically, and each point lands on whatever mode its noise
 * leads to, not the one it came from.
 */
export async function* overviewLoop(options: LoopOptions): AsyncGenerator<LoopFrame, void, void> {
  const {mixture, schedule, n, rng, forwardFrames = 180, reverseSteps = 180, holdNoise = 30, holdData = 60, cycles = Infinity} = options;
  const {T} = schedule;
  if (!Number.isInteger(forwardFrames) || forwardFrames < 1) throw new RangeError(`overviewLoop: forwardFrames must be a positive integer, got ${forwardFrames}`);
  const denoiser = exactDenoiser(mixture, schedule);
  let x0 = sampleMixture(mixture, n, rng);
  for (let cycle = 0; cycle < cycles; ++cycle) {
    const eps = fillNormal(new Float64Array(x0.length), rng);
    let last!: LoopFrame;
    for (let j = 0; j <= forwardFrames; ++j) {
      const k = Math.round((T * j) / forwardFrames), alphaBar = alphaBarAfter(schedule, k);
      last = {direction: "forward", k, alphaBar, x: j ? noiseWith(x0, eps, alphaBar) : x0, cycle, step: j, of: forwardFrames};
      yield last;
    }
    for (let h = 0; h < holdNoise; ++h) yield last;
    for await (const s of ddimSteps(denoiser, schedule, last.x, {steps: reverseSteps, spacing: "linspace"})) {
      // State t is a timestep index (x_t is one step in at t = 0); −1 once clean. k counts steps.
      const k = s.t + 1;
      last = {direction: "reverse", k, alphaBar: alphaBarAfter(schedule, k), x: s.x, cycle, step: s.i, of: s.steps};
      yield last;
    }
    for (let h = 0; h < holdData; ++h) yield last;
    x0 = last.x;
  }
}

/** The readout's words for a frame: what is happening to the cloud, in one short phrase. */
export function directionPhrase(frame: LoopFrame, T: number): string {
  if (frame.direction === "forward") return frame.k === 0 ? "data" : frame.k === T ? "pure noise" : "forward: adding noise";
  return frame.k === 0 ? "back to data: new samples" : "reverse: removing noise";
}

/** The canvas's text alternative for a frame, kept current as the loop plays. */
export function describeFrame(frame: LoopFrame, {T, n, data = "the 8-Gaussian ring"}: {T: number; n: number; data?: string}): string {
  const count = n.toLocaleString("en-US");
  const where = `t = ${frame.k} of ${T}, signal kept ᾱ = ${frame.alphaBar.toPrecision(2)}`;
  return frame.direction === "forward"
    ? `${count} points of ${data} being noised forward in closed form; ${where}`
    : `${count} points being carried from noise back to ${data} by DDIM on the exact denoiser; ${where}`;
}

/** An ellipse in data units: semi-axes rx ≥ ry and the angle of the rx axis (radians, from +x). */
export interface Ellipse { cx: number; cy: number; rx: number; ry: number; angle: number }

/**
 * The `k`-standard-deviation ellipse of each component of a mixture: centred on μ, semi-axes
 * k·√λ along the eigenvectors of Σ = [[σxx, σxy], [σxy, σyy]], whose eigenvalues are
 * λ = (σxx + σyy)/2 ± √(((σxx − σyy)/2)² + σxy²) and whose major axis lies at ½·atan2(2σxy, σxx − σyy).
 * Drawn for noiseMixture(m, ᾱ), it shows q_t exactly: the Gaussians the noisy data is made of.
 */
export function componentEllipses(m: Mixture, k = 2): Ellipse[] {
  return m.means.map(([cx, cy], j) => {
    const [a, b, c] = m.covs[j], mid = (a + c) / 2, half = Math.hypot((a - c) / 2, b);
    return {cx, cy, rx: k * Math.sqrt(mid + half), ry: k * Math.sqrt(Math.max(0, mid - half)), angle: 0.5 * Math.atan2(2 * b, a - c)};
  });
}
