// Asking a worker for something that a slider keeps changing: one request at a time, and only the
// newest of those that arrive meanwhile is sent next, so dragging does not pile up requests.

/**
 * Wraps `task` so that at most one call runs at a time. A call made while another runs waits; if a
 * newer call arrives before it starts, it is dropped and resolves to null (its answer would be stale
 * anyway). Calls that run resolve or reject as `task` does.
 */
export function latestOnly<A, R>(task: (args: A) => Promise<R>): (args: A) => Promise<R | null> {
  let running = false;
  let waiting: {args: A; resolve(value: R | null): void; reject(error: unknown): void} | null = null;
  const pump = async () => {
    running = true;
    while (waiting) {
      const next = waiting;
      waiting = null;
      try {
        next.resolve(await task(next.args));
      } catch (e) {
        next.reject(e);
      }
    }
    running = false;
  };
  return (args) => new Promise<R | null>((resolve, reject) => {
    waiting?.resolve(null);
    waiting = {args, resolve, reject};
    if (!running) void pump();
  });
}
