// Redrawing what depends on a model that trains in a worker, at the page's pace rather than the
// trainer's: a draw can take longer than a training chunk (1,500 samples by DDIM), so draws are not
// queued per chunk but taken whenever the previous one is done and the model has moved on.

/** The part of a TrainingSession this needs: its latest progress report. */
export interface Followed {
  latest: {step: number} | null;
}

/**
 * Calls `draw(step, signal)` now and then whenever the session's latest step differs from the one
 * last drawn and the previous draw has settled, checking every `intervalMs` (so at most
 * ~1000/intervalMs draws a second), until `invalidation` resolves. `signal` aborts then too, so a draw
 * that awaits the worker can tell that its answer is no longer wanted. A draw that rejects is
 * skipped. Resolves once stopped.
 */
export async function followModel(
  session: Followed,
  draw: (step: number, signal: AbortSignal) => Promise<unknown> | unknown,
  {invalidation, intervalMs = 300}: {invalidation: Promise<unknown>; intervalMs?: number},
): Promise<void> {
  const controller = new AbortController();
  void invalidation.then(() => controller.abort());
  let shown = -1;
  while (!controller.signal.aborted) {
    const step = session.latest?.step ?? 0;
    if (step !== shown) {
      shown = step;
      try {
        await draw(step, controller.signal);
      } catch {
        // skipped: the next new step draws again
      }
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
