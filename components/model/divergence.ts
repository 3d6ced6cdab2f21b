// The divergence test of a training run: a chunk whose loss is not finite, or jumps far above the
// run's recent losses, or that leaves a NaN or ∞ in its state, is rejected, and the run goes back to
// the end of its last good chunk.

/** Per-step losses of good chunks kept for the running median. */
const WINDOW = 200;
/** With fewer recent losses than this (a fresh start, or just after loading weights), compare with 1. */
const MIN_HISTORY = 5;

function median(values: readonly number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : 0.5 * (s[h - 1] + s[h]);
}

/** The running window of a run's good losses, and the test of each new chunk against it. */
export class LossWatch {
  private recent: number[] = [];

  /**
   * Why the chunk that took the run from step `lastGood` through the per-step `losses` diverged, or
   * null if it did not: a loss that is NaN or ∞, a loss over explodeFactor × the running median of the
   * good losses before it (× 1 until there are MIN_HISTORY of them: the targets ε, x0 and v have about
   * unit variance, so predicting zero scores about 1), or a non-finite value anywhere in `state`, the
   * chunk's end state named as a reader knows it (["the weights", arrays], …). The message says where
   * training goes back to.
   */
  check(losses: Float32Array, lastGood: number, explodeFactor: number, state: readonly (readonly [string, Float32Array[]])[]): string | null {
    const window = this.recent.slice();
    const restored = `weights were restored to step ${lastGood}. Try a smaller learning rate.`;
    for (let i = 0; i < losses.length; ++i) {
      const l = losses[i];
      if (!Number.isFinite(l)) return `the loss became ${l} at step ${lastGood + i + 1}; ${restored}`;
      const enough = window.length >= MIN_HISTORY;
      const m = enough ? median(window) : 1;
      if (l > explodeFactor * m) {
        return `the loss jumped to ${l.toPrecision(3)} at step ${lastGood + i + 1}, over ${explodeFactor}× ${enough ? `its running median ${m.toPrecision(3)}` : "what predicting zero scores (≈ 1)"}; ${restored}`;
      }
      window.push(l);
    }
    const bad = state.find(([, arrays]) => arrays.some((a) => a.some((x) => !Number.isFinite(x))));
    if (bad) return `${bad[0]} became NaN or ∞ by step ${lastGood + losses.length}; ${restored}`;
    return null;
  }

  /** Adds a good chunk's losses to the window (the last WINDOW are kept). */
  accept(losses: Float32Array): void {
    for (const l of losses) this.recent.push(l);
    if (this.recent.length > WINDOW) this.recent.splice(0, this.recent.length - WINDOW);
  }

  /** Forgets every loss (new weights: the old losses say nothing about them). */
  clear(): void {
    this.recent = [];
  }
}
