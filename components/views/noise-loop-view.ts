// The Overview's animation: a Plane that plays an overviewLoop one frame per animation frame, with a
// Pause/Play button, a readout of t and the direction, and the canvas's text alternative kept current.
import {Plane} from "./plane.js";
import {noiseMixture, type Mixture} from "../math/mixture.js";
import {componentEllipses, describeFrame, directionPhrase, type LoopFrame} from "../samplers/overview-loop.js";

export interface NoiseLoopOptions {
  width: number;
  /** Steps of the schedule (the readout shows t of T). */
  T: number;
  /** Points per frame (for the text alternative). */
  n: number;
  /** When given, q_t is outlined: a 2-standard-deviation ellipse for each of its Gaussians. */
  mixture?: Mixture;
  /**
   * Start paused. Defaults to the reader's prefers-reduced-motion, which also pauses the loop if it
   * is turned on while playing; Play still works.
   */
  paused?: boolean;
  /** Stops the loop for good when it resolves (a cell's `invalidation`). */
  invalidation?: Promise<unknown>;
  /** Called with the new state whenever the reader plays or pauses, so a page can carry it to a rebuilt view. */
  onToggle?: (playing: boolean) => void;
}

export interface NoiseLoop extends HTMLDivElement {
  /** Plays or pauses (bound to the button); dispatches "input" when the state changes. */
  toggle(play?: boolean): void;
  /** Whether the loop is playing, as `.value` too, so a page can carry it to a rebuilt view. */
  readonly playing: boolean;
  readonly value: boolean;
  plane: Plane;
}

/** Forward frames in orange, reverse in blue: the readout's swatch and the points share the colour. */
export const COLORS = {forward: "#d0632f", reverse: "#4269d0"} as const;
const EXTENT = 3;

/**
 * Pulls one frame from `frames` per animation frame while playing and visible (an off-screen loop
 * costs nothing), never more than one request at a time; draws only frames that changed (held frames
 * are the same object). The frames iterator is shared: a view rebuilt on resize continues it.
 */
export function NoiseLoop(frames: AsyncIterator<LoopFrame>, {width, T, n, mixture, paused, invalidation, onToggle}: NoiseLoopOptions): NoiseLoop {
  const motion = typeof matchMedia === "function" ? matchMedia("(prefers-reduced-motion: reduce)") : undefined;
  const root = document.createElement("div") as unknown as NoiseLoop;
  root.className = "noise-loop";
  const plane = Plane({width, extent: EXTENT, label: `${n.toLocaleString("en-US")} points, loading`});
  const bar = document.createElement("div");
  bar.className = "noise-loop-controls";
  bar.style.cssText = "display:flex;align-items:center;gap:0.75rem;flex-wrap:wrap;margin-top:0.5rem;font:13px var(--sans-serif);";
  bar.innerHTML = `<button type="button" style="min-width:6em;"></button>
    <span class="noise-loop-readout" style="font-variant-numeric:tabular-nums;">
      <output class="noise-loop-t" style="display:inline-block;min-width:8.5em;"></output>
      <span class="noise-loop-swatch" aria-hidden="true" style="display:inline-block;width:0.7em;height:0.7em;border-radius:50%;margin-right:0.3em;"></span><span class="noise-loop-direction"></span>
    </span>
    <span aria-hidden="true" class="noise-loop-track" style="position:relative;flex:1;min-width:6rem;max-width:${width}px;height:4px;border-radius:2px;background:color-mix(in srgb, currentColor 15%, transparent);">
      <span style="position:absolute;top:-4px;width:12px;height:12px;margin-left:-6px;border-radius:50%;"></span>
    </span>`;
  const button = bar.querySelector("button")!;
  const tOut = bar.querySelector<HTMLOutputElement>(".noise-loop-t")!;
  const dirOut = bar.querySelector<HTMLSpanElement>(".noise-loop-direction")!;
  const swatch = bar.querySelector<HTMLSpanElement>(".noise-loop-swatch")!;
  const dot = bar.querySelector<HTMLSpanElement>(".noise-loop-track span")!;
  root.append(plane, bar);
  // SVG, not canvas: eight outlines in the theme's text colour read in light and dark mode alike.
  const outlines = (mixture?.means ?? []).map(() => {
    const e = document.createElementNS("http://www.w3.org/2000/svg", "ellipse");
    e.setAttribute("fill", "none");
    e.setAttribute("stroke", "currentColor");
    e.setAttribute("stroke-opacity", "0.35");
    plane.overlay.append(e);
    return e;
  });
  const sx = plane.x(1) - plane.x(0), sy = plane.y(0) - plane.y(1);

  let playing = !(paused ?? motion?.matches ?? false), visible = true, stopped = false, pending = false, raf = 0;
  let shown: LoopFrame | undefined, attached = false;

  const draw = (f: LoopFrame) => {
    if (f === shown) return;
    shown = f;
    const color = COLORS[f.direction];
    plane.draw([{points: f.x, color}]);
    if (mixture) componentEllipses(noiseMixture(mixture, f.alphaBar), 2).forEach(({cx, cy, rx, ry, angle}, j) => {
      const e = outlines[j];
      e.setAttribute("cx", String(plane.x(cx)));
      e.setAttribute("cy", String(plane.y(cy)));
      e.setAttribute("rx", String(rx * sx));
      e.setAttribute("ry", String(ry * sy));
      // SVG's y runs down, so a counter-clockwise data angle is a negative rotation on screen.
      e.setAttribute("transform", `rotate(${(-angle * 180) / Math.PI} ${plane.x(cx)} ${plane.y(cy)})`);
    });
    plane.describe(describeFrame(f, {T, n}));
    tOut.textContent = `t = ${f.k} / ${T}`;
    dirOut.textContent = `${f.direction === "forward" ? "→" : "←"} ${directionPhrase(f, T)}`;
    swatch.style.background = color; // the words stay in the text colour: orange text fails contrast
    dot.style.left = `${(100 * f.k) / T}%`;
    dot.style.background = color;
  };

  const pull = async () => {
    if (pending || stopped) return;
    pending = true;
    try {
      const next = await frames.next();
      if (!next.done && !stopped) draw(next.value);
      else if (next.done) stop();
    } finally {
      pending = false;
    }
  };

  const tick = () => {
    raf = 0;
    if (stopped || !playing) return;
    // Removed from the page after being shown (its cell replaced without `invalidation`): end.
    if (root.isConnected) attached = true;
    else if (attached) return stop();
    if (visible && attached) void pull();
    raf = requestAnimationFrame(tick);
  };

  // The visible word is the accessible name (the symbol is hidden from screen readers).
  const label = () => {
    button.innerHTML = playing ? `<span aria-hidden="true">❚❚</span> Pause` : `<span aria-hidden="true">▶</span> Play`;
  };

  function stop() {
    stopped = true;
    playing = false;
    cancelAnimationFrame(raf);
    observer?.disconnect();
    motion?.removeEventListener("change", onMotion);
    label();
  }
  function onMotion(event: MediaQueryListEvent) {
    if (event.matches) root.toggle(false);
  }

  root.toggle = (play = !playing) => {
    if (stopped || play === playing) return;
    playing = play;
    label();
    if (playing && !raf) raf = requestAnimationFrame(tick);
    onToggle?.(playing);
    root.dispatchEvent(new Event("input", {bubbles: true}));
  };
  Object.defineProperty(root, "playing", {get: () => playing});
  Object.defineProperty(root, "value", {get: () => playing});
  root.plane = plane;

  button.addEventListener("click", () => root.toggle());
  const observer = typeof IntersectionObserver === "function"
    ? new IntersectionObserver((entries) => { visible = entries.some((e) => e.isIntersecting); })
    : undefined;
  observer?.observe(plane);
  motion?.addEventListener("change", onMotion);
  invalidation?.then(stop);

  label();
  void pull(); // the first frame, playing or not, so a paused loop still shows the data
  if (playing) raf = requestAnimationFrame(tick);
  return root;
}
