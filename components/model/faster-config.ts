// The /faster chapter's methods and run settings, free of tfjs so the page and the worker protocol can
// read them (the suite that runs them is faster-suite.ts, in the worker).

/** The methods, in the chart's legend order. */
export const FASTER_METHODS = ["DDPM", "DDIM", "DPM-Solver++", "Progressive distillation", "Consistency model", "Rectified flow", "Rectified flow, reflowed"] as const;
export type FasterMethod = (typeof FASTER_METHODS)[number];

/** The teacher's samplers' NFE ladder, and progressive distillation's student step counts (halving). */
export const NFE_LADDER = [1, 2, 4, 8, 16, 32, 64] as const;
export const PD_ROUNDS = [32, 16, 8, 4, 2, 1] as const;

/** What the suite reports, in order. A quality event carries its n samples x ([n, d]). */
export type SuiteEvent =
  /** First: what two independent draws of the data score against each other (the chart's floor). */
  | {type: "floor"; value: number}
  | {type: "progress"; method: FasterMethod; round: string; step: number; steps: number; loss: number; losses: Float32Array}
  | {type: "round-end"; method: FasterMethod; round: string; steps: number; firstLoss: number; lastLoss: number; ms: number}
  | {type: "quality"; method: FasterMethod; nfe: number; sw: number; ms: number; x: Float64Array}
  | {type: "curvature"; method: FasterMethod; value: number}
  /** The first `PATHS_SHOWN` Euler trajectories of the curvature measurement: states [steps + 1] of [n, d]. */
  | {type: "paths"; method: FasterMethod; path: Float64Array[]}
  /** A flow's learned velocity v(x, τ) at the FIELD_GRID points, one [k², d] array per τ of FIELD_TAUS. */
  | {type: "field"; method: FasterMethod; velocity: Float64Array[]};

/** Trajectories a "paths" event carries. */
export const PATHS_SHOWN = 60;

/** The arrows of the straight-path field: the centres of a 15×15 grid over [−2.6, 2.6]². */
export const FIELD_GRID = {k: 15, extent: 2.6} as const;

/** The τ at which a "field" event gives the learned velocity: 0.05, 0.10, …, 1 (the page's τ slider). */
export const FIELD_TAUS: readonly number[] = Array.from({length: 20}, (_, i) => (i + 1) / 20);

/** The index into FIELD_TAUS of the τ nearest to `tau`. */
export function fieldTauIndex(tau: number): number {
  return Math.min(FIELD_TAUS.length - 1, Math.max(0, Math.round(tau * 20) - 1));
}

/** Options of the suite; every count has a default measured to fit the page's time budget. */
export interface SuiteOptions {
  /** Seeds the students' batches and the x_T of every sample set. */
  seed: number;
  /** Samples per quality point (the yardstick's 2,000). */
  n: number;
  /** Adam steps per progressive-distillation round, of the consistency model, of each rectified flow. */
  pdSteps: number;
  cmSteps: number;
  rfSteps: number;
  /** Steps per chunk (one progress event each). */
  chunk: number;
  /** Couplings drawn for reflow, and the Euler steps that draw them. */
  reflowPairs: number;
  reflowOdeSteps: number;
  /** Which methods to run (default all). */
  methods: readonly FasterMethod[];
}

/**
 * Measured with scripts/faster-quality.ts (wasm in Node, seeds 1–3): 300 steps a round bring each
 * progressive-distillation round's loss down 4–40×; the consistency model's loss levels off by ~600;
 * rectified flow's by ~800.
 */
export const DEFAULT_SUITE: SuiteOptions = {
  seed: 1, n: 2000, pdSteps: 300, cmSteps: 600, rfSteps: 800, chunk: 10, reflowPairs: 4000, reflowOdeSteps: 32, methods: FASTER_METHODS,
};

/** The consistency model's sampling times on a T-step schedule: one step from T−1, and two with a re-noising at 0.4·T. */
export function consistencyTimes(T: number): number[][] {
  return [[T - 1], [T - 1, Math.round(0.4 * T)]];
}

/** Short names for URLs and the DOM, and each method's colour (the teacher's samplers keep /sampling's). */
export const METHOD_INFO: Readonly<Record<FasterMethod, {key: string; color: string; dash?: string}>> = {
  "DDPM": {key: "ddpm", color: "#e15759", dash: "4 3"},
  "DDIM": {key: "ddim", color: "#4269d0", dash: "4 3"},
  "DPM-Solver++": {key: "dpm", color: "#a463f2", dash: "4 3"},
  "Progressive distillation": {key: "pd", color: "#3ca951"},
  "Consistency model": {key: "cm", color: "#ff8ab7"},
  "Rectified flow": {key: "rf", color: "#efb118"},
  "Rectified flow, reflowed": {key: "reflow", color: "#9c6b4e"},
};

/** The method whose key is `key`, or undefined. */
export function methodByKey(key: string): FasterMethod | undefined {
  return FASTER_METHODS.find((m) => METHOD_INFO[m].key === key);
}
