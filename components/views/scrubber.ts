// A timestep slider with a play button: an input element (.value, "input" events) so `view()` works.
export interface ScrubberOptions {
  min?: number;
  max: number;
  value?: number;
  step?: number;
  label: string;
  /** Seconds for a full sweep when playing. */
  duration?: number;
  /** Formats the value shown beside the slider. */
  format?: (value: number) => string;
}

export interface Scrubber extends HTMLElement {
  value: number;
  /** Starts or stops playback (also bound to the play button and the space key on the slider). */
  toggle(play?: boolean): void;
}

let uid = 0;

/**
 * Playback advances at a constant speed of (max − min)/duration per second, driven by
 * requestAnimationFrame, and stops itself when the element leaves the document (its cell was
 * invalidated). It never starts on its own: readers who prefer reduced motion press play themselves.
 */
export function Scrubber({min = 0, max, value = min, step = 1, label, duration = 6, format = String}: ScrubberOptions): Scrubber {
  const id = `scrubber-${++uid}`;
  const root = document.createElement("form") as unknown as Scrubber;
  root.className = "scrubber";
  root.style.cssText = "display:flex;align-items:center;gap:0.5rem;flex-wrap:wrap;font:13px var(--sans-serif);margin:0.5rem 0;";
  root.innerHTML = `<button type="button" aria-pressed="false" style="min-width:5.5em;">▶ Play</button>
    <label for="${id}" style="min-width:2em;">${label}</label>
    <input id="${id}" type="range" min="${min}" max="${max}" step="${step}" style="flex:1;min-width:8rem;">
    <output for="${id}" style="min-width:4.5em;font-variant-numeric:tabular-nums;"></output>`;
  const button = root.querySelector("button")!;
  const input = root.querySelector("input")!;
  const output = root.querySelector("output")!;
  let frame = 0, last = 0;

  const set = (v: number, emit: boolean) => {
    input.valueAsNumber = v;
    output.textContent = format(input.valueAsNumber);
    if (emit) root.dispatchEvent(new Event("input", {bubbles: true}));
  };
  let position = value; // fractional playback position: the range input snaps to whole steps
  const tick = (now: number) => {
    if (!root.isConnected && last) return stop();
    const dt = last ? (now - last) / 1000 : 0;
    last = now;
    position += ((max - min) / duration) * dt;
    if (position >= max) { set(max, true); return stop(); }
    if (Math.abs(position - input.valueAsNumber) >= step) set(position, true);
    frame = requestAnimationFrame(tick);
  };
  const start = () => {
    if (input.valueAsNumber >= max) set(min, true);
    position = input.valueAsNumber;
    last = 0;
    button.textContent = "❚❚ Pause";
    button.setAttribute("aria-pressed", "true");
    frame = requestAnimationFrame(tick);
  };
  function stop() {
    cancelAnimationFrame(frame);
    frame = 0;
    button.textContent = "▶ Play";
    button.setAttribute("aria-pressed", "false");
  }
  root.toggle = (play = !frame) => (play ? (frame ? undefined : start()) : stop());

  button.setAttribute("aria-label", `Play ${label}`);
  button.addEventListener("click", () => root.toggle());
  input.addEventListener("input", (event) => {
    event.stopPropagation();
    stop();
    set(input.valueAsNumber, true);
  });
  root.addEventListener("submit", (event) => event.preventDefault());
  Object.defineProperty(root, "value", {
    get: () => input.valueAsNumber,
    set: (v: number) => set(v, false),
  });
  set(value, false);
  return root;
}
