// Inside a worker: a pause that lets queued messages (pause, a sample request) run between chunks.

/** Yields to the worker's message queue without the 4 ms clamp of nested setTimeout. */
export const yieldToMessages = (): Promise<void> => new Promise<void>((resolve) => {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => resolve();
  channel.port2.postMessage(null);
});
