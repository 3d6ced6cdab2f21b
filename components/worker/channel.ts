// The page's side of a worker's request/reply protocol, shared by every session (training, latent,
// faster): each request carries an id, the worker answers it with {type: "reply", id, ok, value |
// error}, and everything else it posts (progress, notices, events) goes to one callback.

/** How a worker answers a request. */
export type Reply = {type: "reply"; id: number; ok: true; value?: unknown} | {type: "reply"; id: number; ok: false; error: string};

/** A command without its id, which the channel assigns. */
export type Unnumbered<C> = C extends {id: number} ? Omit<C, "id"> : never;

export class WorkerChannel<Command, Report extends {type: string}> {
  private nextId = 1;
  private waiting = new Map<number, {resolve(value: unknown): void; reject(error: Error): void}>();
  private closed = false;

  /**
   * Starts `url` as a module worker. `name` goes into messages ("the latent-diffusion worker");
   * `onReport` receives every message that is not a reply.
   */
  private readonly worker: Worker;

  constructor(url: string, private readonly name: string, onReport: (report: Exclude<Report, Reply>) => void) {
    this.worker = new Worker(url, {type: "module"});
    this.worker.addEventListener("message", ({data}: MessageEvent<Report | Reply>) => {
      if (data.type !== "reply") return onReport(data as Exclude<Report, Reply>);
      const reply = data as Reply;
      const pending = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (reply.ok) pending?.resolve(reply.value);
      else pending?.reject(new Error(reply.error));
    });
  }

  /** Sends `command` with a fresh id; resolves to the worker's value or rejects with its error. */
  request(command: Unnumbered<Command>, transfer: Transferable[] = []): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error(`the ${this.name} session has ended`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, {resolve, reject});
      this.worker.postMessage({...command, id}, transfer);
    });
  }

  /** Sends a message that expects no reply (run, pause …); nothing once ended. */
  post(message: unknown): void {
    if (!this.closed) this.worker.postMessage(message);
  }

  /**
   * The first request (the worker's init), raced against the worker failing to load: a script that
   * fails never answers, so that rejects with a message naming the worker and ends the channel.
   */
  start(init: Unnumbered<Command>): Promise<unknown> {
    const failed = new Promise<never>((_, reject) => this.worker.addEventListener("error", (event) => {
      this.dispose();
      reject(new Error(`The ${this.name} worker could not start${event.message ? `: ${event.message}` : ""}.`));
    }, {once: true}));
    return Promise.race([this.request(init), failed]);
  }

  /** Calls `listener` with the message of every error the worker raises after it started. */
  onError(listener: (message: string) => void): void {
    this.worker.addEventListener("error", (event) => listener(event.message));
  }

  /** Ends the worker; pending requests and any made later reject. */
  dispose(): void {
    this.closed = true;
    this.worker.terminate();
    for (const {reject} of this.waiting.values()) reject(new Error(`the ${this.name} session has ended`));
    this.waiting.clear();
  }
}

/** Callbacks for one kind of message from a worker: add one (getting its removal back), or call them all. */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();

  /** Adds `listener`; returns the function that removes it. */
  add(listener: (value: T) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  /** Calls every listener with `value`. */
  emit(value: T): void {
    for (const listener of this.set) listener(value);
  }
}
