// A plane the reader draws a data set on (mouse, pen, touch or keyboard): an input whose value is
// the points, optionally in several inks (one per class).
import {Plane} from "./plane.js";
import {ClassPicker} from "./class-picker.js";
import type {Rng} from "../math/types.js";

export interface DrawPad extends HTMLDivElement {
  /** The drawn points, [n, 2] (a fresh array after each stroke). */
  value: Float64Array;
  /** The ink of each point, [n]: an index into `inks` (all 0 without inks). */
  labels: Int32Array;
  clear(): void;
  /** Replaces the drawing (e.g. with an example) and fires "input". labels: [n], default all 0. */
  set(points: Float64Array, labels?: Int32Array): void;
}

export interface DrawPadOptions {
  width: number;
  rng: Rng;
  /** Spread of the spray around the pointer, in data units. */
  brush?: number;
  /** Points sprayed per pointer event (a key press sprays three times as many). */
  perEvent?: number;
  /** Most points the pad holds. */
  max?: number;
  /** Inks to draw with, as CSS colours; with two or more the pad offers a choice and records each point's ink. */
  inks?: readonly string[];
  /** What each ink is called (for the choice and the text alternative). */
  inkNames?: readonly string[];
}

/** Cursor step for the arrow keys, in data units (Shift: 5×). */
const KEY_STEP = 0.1;

/**
 * Dragging sprays points around the pointer (Gaussian, spread `brush`), a few per pointer event,
 * so a stroke becomes a band of data. From the keyboard, focus the drawing area, move its cursor with
 * the arrow keys (Shift for bigger steps) and press Space or Enter to spray there. The value updates and
 * an "input" event fires when a stroke ends (or a key sprays), not on every move, so a page recomputes
 * once per stroke.
 */
export function DrawPad({width, rng, brush = 0.08, perEvent = 6, max = 4000, inks, inkNames}: DrawPadOptions): DrawPad {
  const root = document.createElement("div") as unknown as DrawPad;
  const coloured = !!inks && inks.length > 1;
  const keysHelp = "or focus it and use the arrow keys to move and Space to draw";
  const plane = Plane({width, label: `Drawing area: drag to draw data points, ${keysHelp}`});
  plane.canvas.tabIndex = 0;
  const clear = document.createElement("button");
  clear.type = "button";
  clear.textContent = "Clear drawing";
  const picker = coloured ? ClassPicker({classes: inks!.map((_, k) => ({label: inkNames?.[k] ?? `ink ${k + 1}`, color: k})), label: "Ink"}) : null;
  let points: number[] = [], labels: number[] = [];
  let drawing = false;
  const cursor = [0, 0];
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const redraw = () => {
    const all = Float64Array.from(points);
    if (!coloured) return plane.update(all);
    plane.draw(inks!.map((color, k) => ({points: Float64Array.from(points.filter((_, j) => labels[j >> 1] === k)), color})));
  };
  const sprayAt = (x: number, y: number, count: number) => {
    const ink = picker?.value ?? 0;
    for (let i = 0; i < count && points.length < 2 * max; ++i) {
      points.push(x + brush * gauss(), y + brush * gauss());
      labels.push(ink);
    }
    redraw();
  };
  const spray = (event: PointerEvent) => {
    const rect = plane.canvas.getBoundingClientRect();
    sprayAt(plane.x.invert(event.clientX - rect.left), plane.y.invert(event.clientY - rect.top), perEvent);
  };
  const describe = () => {
    const n = points.length / 2;
    if (!coloured) return plane.describe(`Drawing area with ${n} drawn points; ${keysHelp}`);
    const counts = inks!.map((_, k) => labels.filter((l) => l === k).length).map((c, k) => (c ? `${c} ${inkNames?.[k] ?? `ink ${k + 1}`}` : "")).filter(Boolean);
    plane.describe(`Drawing area with ${n} drawn points${counts.length ? ` (${counts.join(", ")})` : ""}; ${keysHelp}`);
  };
  const emit = () => {
    root.value = Float64Array.from(points);
    root.labels = Int32Array.from(labels);
    describe();
    root.dispatchEvent(new Event("input", {bubbles: true}));
  };
  const commit = () => {
    if (!drawing) return;
    drawing = false;
    emit();
  };
  const showCursor = (visible: boolean) => {
    plane.overlay.innerHTML = visible
      ? `<circle cx="${plane.x(cursor[0])}" cy="${plane.y(cursor[1])}" r="${Math.max(4, plane.x(brush) - plane.x(0))}" fill="none" stroke="currentColor" stroke-width="1.5" stroke-dasharray="3,2"></circle>`
      : "";
  };
  plane.canvas.addEventListener("pointerdown", (event) => {
    drawing = true;
    plane.canvas.setPointerCapture(event.pointerId);
    spray(event);
  });
  plane.canvas.addEventListener("pointermove", (event) => { if (drawing) spray(event); });
  plane.canvas.addEventListener("pointerup", commit);
  plane.canvas.addEventListener("pointercancel", commit);
  plane.canvas.addEventListener("focus", () => showCursor(true));
  plane.canvas.addEventListener("blur", () => showCursor(false));
  plane.canvas.addEventListener("keydown", (event) => {
    const step = KEY_STEP * (event.shiftKey ? 5 : 1), [lo, hi] = plane.x.domain();
    const moves: Record<string, [number, number]> = {ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step]};
    if (event.key in moves) {
      cursor[0] = Math.min(hi, Math.max(lo, cursor[0] + moves[event.key][0]));
      cursor[1] = Math.min(hi, Math.max(lo, cursor[1] + moves[event.key][1]));
      showCursor(true);
    } else if (event.key === " " || event.key === "Enter") {
      sprayAt(cursor[0], cursor[1], 3 * perEvent);
      emit();
    } else return;
    event.preventDefault();
  });
  root.clear = () => root.set(new Float64Array(0));
  root.set = (p, l = new Int32Array(p.length / 2)) => {
    if (l.length * 2 !== p.length) throw new RangeError(`DrawPad.set: ${p.length / 2} points but ${l.length} labels`);
    points = Array.from(p);
    labels = Array.from(l);
    redraw();
    emit();
  };
  clear.addEventListener("click", () => root.clear());
  // Choosing an ink changes no point: the pad's own "input" means the drawing changed.
  picker?.addEventListener("input", (event) => event.stopPropagation());
  root.value = new Float64Array(0);
  root.labels = new Int32Array(0);
  redraw();
  describe();
  root.append(...(picker ? [picker] : []), plane, clear);
  return root;
}

/** Why a drawn data set cannot be trained on yet, or null when it can (at least `min` points). */
export function drawingProblem(points: Float64Array, min = 50): string | null {
  const n = points.length / 2;
  if (n === 0) return "The drawing is empty: drag on the canvas to draw some data first.";
  if (n < min) return `The drawing has only ${n} points; draw at least ${min} (a longer stroke) to train on it.`;
  return null;
}
