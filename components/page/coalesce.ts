// Passing a stream that arrives faster than it is worth redrawing (a worker's progress, a run's
// results) on to a page's cells: every notification re-runs the cells that read it, and on a busy
// machine one redraw can take longer than a frame. Only the newest value is passed, at most once per
// animation frame and at most every `everyMs`.

export interface Coalesced<T> {
  /** Offers a value; it replaces any value still waiting. */
  push(value: T): void;
  /** Drops the waiting value and stops for good (call on invalidation). */
  cancel(): void;
}

export interface CoalesceOptions {
  /** Least time between two notifications, ms (default 0: once per frame at most). */
  everyMs?: number;
  /** Schedules a callback for the next frame (default requestAnimationFrame, or 16 ms without one). */
  frame?: (callback: () => void) => unknown;
  /** The clock, ms (default performance.now). */
  now?: () => number;
}

const nextFrame = (callback: () => void) => (typeof requestAnimationFrame === "function" ? requestAnimationFrame(callback) : setTimeout(callback, 16));

/**
 * Wraps `notify` so that values pushed in quick succession reach it as one: the newest, in the first
 * animation frame at least `everyMs` after the previous notification. The last value pushed is
 * always delivered (unless cancelled first), so a run's end is never lost.
 */
export function coalesce<T>(notify: (value: T) => void, {everyMs = 0, frame = nextFrame, now = () => performance.now()}: CoalesceOptions = {}): Coalesced<T> {
  let waiting: {value: T} | null = null, scheduled = false, cancelled = false, last = -Infinity;
  const deliver = () => {
    scheduled = false;
    if (cancelled || !waiting) return;
    const {value} = waiting;
    waiting = null;
    last = now();
    notify(value);
  };
  return {
    push(value) {
      if (cancelled) return;
      waiting = {value};
      if (scheduled) return;
      scheduled = true;
      setTimeout(() => frame(deliver), Math.max(0, last + everyMs - now()));
    },
    cancel() {
      cancelled = true;
      waiting = null;
    },
  };
}
