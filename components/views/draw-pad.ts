// A plane the reader draws a data set on (mouse, pen or touch): an input whose value is the points.
import {Plane} from "./plane.js";
import type {Rng} from "../math/types.js";

export interface DrawPad extends HTMLDivElement {
  /** The drawn points, [n, 2] (a fresh array after each stroke). */
  value: Float64Array;
  clear(): void;
}

/**
 * Dragging sprays points around the pointer (Gaussian, spread `brush`), a few per pointer event,
 * so a stroke becomes a band of data. The value updates and an "input" event fires when a stroke
 * ends, not on every move, so a page retrains once per stroke.
 */
export function DrawPad({width, rng, brush = 0.08, perEvent = 6, max = 4000}: {width: number; rng: Rng; brush?: number; perEvent?: number; max?: number}): DrawPad {
  const root = document.createElement("div") as unknown as DrawPad;
  const plane = Plane({width, label: "Drawing area: drag to draw data points"});
  const clear = document.createElement("button");
  clear.type = "button";
  clear.textContent = "Clear drawing";
  let points: number[] = [];
  let drawing = false;
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const spray = (event: PointerEvent) => {
    const rect = plane.canvas.getBoundingClientRect();
    const x = plane.x.invert(event.clientX - rect.left), y = plane.y.invert(event.clientY - rect.top);
    for (let i = 0; i < perEvent && points.length < 2 * max; ++i) points.push(x + brush * gauss(), y + brush * gauss());
    plane.update(Float64Array.from(points));
  };
  const commit = () => {
    if (!drawing) return;
    drawing = false;
    root.value = Float64Array.from(points);
    plane.describe(`Drawing area with ${points.length / 2} drawn points`);
    root.dispatchEvent(new Event("input", {bubbles: true}));
  };
  plane.canvas.addEventListener("pointerdown", (event) => {
    drawing = true;
    plane.canvas.setPointerCapture(event.pointerId);
    spray(event);
  });
  plane.canvas.addEventListener("pointermove", (event) => { if (drawing) spray(event); });
  plane.canvas.addEventListener("pointerup", commit);
  plane.canvas.addEventListener("pointercancel", commit);
  root.clear = () => {
    points = [];
    root.value = new Float64Array(0);
    plane.update(root.value);
    root.dispatchEvent(new Event("input", {bubbles: true}));
  };
  clear.addEventListener("click", () => root.clear());
  root.value = new Float64Array(0);
  plane.update(root.value);
  root.append(plane, clear);
  return root;
}

/** Why a drawn data set cannot be trained on yet, or null when it can (at least `min` points). */
export function drawingProblem(points: Float64Array, min = 50): string | null {
  const n = points.length / 2;
  if (n === 0) return "The drawing is empty: drag on the canvas to draw some data first.";
  if (n < min) return `The drawing has only ${n} points; draw at least ${min} (a longer stroke) to train on it.`;
  return null;
}
