// The loss curve's data: every step's loss kept in a bounded, evenly thinned series (no DOM).

/**
 * Appends per-step losses and keeps at most `max` points: when full, neighbouring points are
 * averaged pairwise and the stride doubles, so a run of any length draws in O(max).
 */
export class LossHistory {
  steps: number[] = [];
  losses: number[] = [];
  private stride = 1;
  private pending: number[] = [];
  constructor(private readonly max = 600) {}

  /** Adds the losses of consecutive steps, the first being step `first`. */
  push(first: number, losses: ArrayLike<number>): void {
    for (let i = 0; i < losses.length; ++i) {
      this.pending.push(losses[i]);
      if (this.pending.length === this.stride) {
        this.losses.push(this.pending.reduce((a, b) => a + b, 0) / this.stride);
        this.steps.push(first + i);
        this.pending = [];
        if (this.losses.length >= this.max) this.halve();
      }
    }
  }

  private halve(): void {
    const steps: number[] = [], losses: number[] = [];
    for (let i = 0; i + 1 < this.losses.length; i += 2) {
      steps.push(this.steps[i + 1]);
      losses.push((this.losses[i] + this.losses[i + 1]) / 2);
    }
    this.steps = steps;
    this.losses = losses;
    this.stride *= 2;
  }

  clear(): void {
    this.steps = [];
    this.losses = [];
    this.pending = [];
    this.stride = 1;
  }
}
