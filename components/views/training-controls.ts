// The Training chapter's buttons and status line, bound to a TrainingSession.
import type {Progress} from "../worker/training-protocol.js";
import type {TrainingSession} from "../worker/training-session.js";

function button(label: string, onClick: () => void, title: string): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.title = title;
  b.addEventListener("click", onClick);
  return b;
}

/**
 * Train / Pause / Step / Reset. Each has an accessible name equal to its label; Train and Pause
 * disable each other so the state is visible without reading the status line.
 */
export function TrainButtons(session: TrainingSession, {seed, onReset}: {seed: () => number; onReset?: () => void}): HTMLElement {
  const root = document.createElement("div");
  root.className = "train-buttons";
  root.style.cssText = "display:flex;gap:0.5rem;flex-wrap:wrap;margin:0.5rem 0;";
  const train = button("Train", () => { session.run(); show(true); }, "Start or resume training");
  const pause = button("Pause", () => { session.pause(); show(false); }, "Pause training");
  const step = button("Step", () => { show(false); void session.step(); }, "Take one training step");
  const reset = button("Reset", () => { show(false); void session.reset(seed()).then(() => onReset?.()); }, "New random weights");
  const show = (running: boolean) => { train.disabled = running; pause.disabled = !running; };
  session.onProgress((p) => show(p.running));
  show(false);
  root.append(train, pause, step, reset);
  return root;
}

/** One line of numbers about the run. */
export function statusText(p: Progress | null, backend: string): string {
  if (!p) return `Ready on ${backend} — press Train.`;
  const num = (v: number, f: (v: number) => string) => (Number.isFinite(v) ? f(v) : "–");
  return `step ${p.step.toLocaleString("en-US")} · loss ${num(p.loss, (v) => v.toFixed(4))} · ` +
    `${p.running ? `${p.stepsPerSecond.toFixed(0)} steps/s · ` : ""}lr ${num(p.lr, (v) => v.toExponential(1))} · ` +
    `backend ${p.backend} · tensors ${p.numTensors}${p.running ? "" : " · paused"}`;
}

/** Offers `text` as a download called `name`. */
export function download(text: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], {type: "application/json"}));
  const a = Object.assign(document.createElement("a"), {href: url, download: name});
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
