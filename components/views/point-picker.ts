// A point on the plane the reader picks by pointer (press or drag) or keyboard (arrow keys; Shift for
// bigger moves): an input element (.value = [x, y], "input" events) so Generators.input and URL sync
// work. It owns its listeners and removes them in destroy(), and keeps its value when resized.
import {Plane, type Layer} from "./plane.js";

/** A mark drawn over the plane: a dot at `at`, joined by a line from `from` when given. */
export interface PickerMark {
  at: readonly [number, number];
  from?: readonly [number, number];
  color: string;
  /** Dot radius in px (default 4). */
  r?: number;
}

/** Where the picker starts, what it says, and how far it reaches. */
export interface PointPickerOptions {
  value: readonly [number, number];
  /** Text alternative of the plane; the keyboard help is added to it. */
  label: string;
  /** The plane shows [−extent, extent]² and the point stays inside it (default 3). */
  extent?: number;
  /** Arrow-key step in data units (default 0.05; ×5 with Shift). */
  step?: number;
}

/** The picker element: an input whose value is the picked point. */
export interface PointPicker extends HTMLDivElement {
  value: [number, number];
  /** Rebuilds the plane at a new width (square), redrawing the last layers and marks. */
  resize(width: number): void;
  /** Draws layers on the plane (as Plane.draw). */
  draw(layers: readonly Layer[]): void;
  /** Marks over the plane, under the picked point's ring. */
  annotate(marks: readonly PickerMark[]): void;
  /** Removes every listener; the element stays as it is. */
  destroy(): void;
}

const round = (v: number) => Math.round(v * 100) / 100;

/**
 * The picker: a focusable wrapper (role group, its aria-label naming the point and the keys) around
 * a Plane that `resize` builds. Values are rounded to 0.01 and kept inside [−extent, extent]²; an
 * "input" event fires only when the value changes.
 */
export function PointPicker({value, label, extent = 3, step = 0.05}: PointPickerOptions): PointPicker {
  const root = document.createElement("div") as unknown as PointPicker;
  root.className = "point-picker";
  root.tabIndex = 0;
  root.setAttribute("role", "group");
  root.setAttribute("aria-roledescription", "point picker");
  root.style.cssText = "display:inline-block;touch-action:none;cursor:crosshair;";
  let point: [number, number] = [round(value[0]), round(value[1])];
  let plane: Plane | null = null, layers: readonly Layer[] = [], marks: readonly PickerMark[] = [];

  const describe = () => root.setAttribute("aria-label",
    `${label}. Picked point (${point[0].toFixed(2)}, ${point[1].toFixed(2)}); press or drag to pick, or use the arrow keys (Shift for bigger steps).`);
  const clamp = (v: number) => Math.max(-extent, Math.min(extent, v));
  const paintMarks = () => {
    if (!plane) return;
    const {x, y, overlay} = plane;
    const svg = marks.map((m) => (m.from ? `<line x1="${x(m.from[0])}" y1="${y(m.from[1])}" x2="${x(m.at[0])}" y2="${y(m.at[1])}" stroke="${m.color}" stroke-width="1.5"></line>` : "") +
      `<circle cx="${x(m.at[0])}" cy="${y(m.at[1])}" r="${m.r ?? 4}" fill="${m.color}"></circle>`).join("");
    overlay.innerHTML = svg + `<circle cx="${x(point[0])}" cy="${y(point[1])}" r="6" fill="none" stroke="#e63946" stroke-width="2.5"></circle>`;
  };
  const set = (p: [number, number]) => {
    const next: [number, number] = [round(clamp(p[0])), round(clamp(p[1]))];
    if (next[0] === point[0] && next[1] === point[1]) return;
    point = next;
    describe();
    paintMarks();
    root.dispatchEvent(new Event("input", {bubbles: true}));
  };
  const fromEvent = (event: PointerEvent) => {
    if (!plane) return;
    const box = plane.canvas.getBoundingClientRect();
    set([plane.x.invert(event.clientX - box.left), plane.y.invert(event.clientY - box.top)]);
  };
  const onDown = (event: PointerEvent) => {
    root.setPointerCapture?.(event.pointerId);
    fromEvent(event);
  };
  const onMove = (event: PointerEvent) => {
    if (event.buttons !== 0) fromEvent(event);
  };
  const onKey = (event: KeyboardEvent) => {
    const d = event.shiftKey ? 5 * step : step;
    const moves: Record<string, [number, number]> = {ArrowLeft: [-d, 0], ArrowRight: [d, 0], ArrowUp: [0, d], ArrowDown: [0, -d]};
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    set([point[0] + move[0], point[1] + move[1]]);
  };
  root.addEventListener("pointerdown", onDown);
  root.addEventListener("pointermove", onMove);
  root.addEventListener("keydown", onKey);

  Object.defineProperty(root, "value", {
    get: () => [point[0], point[1]],
    set: (p: [number, number]) => {
      point = [round(clamp(p[0])), round(clamp(p[1]))];
      describe();
      paintMarks();
    },
  });
  root.resize = (width) => {
    plane = Plane({width, extent, label});
    // The wrapper carries the label and the focus; the canvas inside is its picture.
    plane.canvas.setAttribute("aria-hidden", "true");
    plane.canvas.removeAttribute("role");
    root.replaceChildren(plane);
    plane.draw(layers);
    paintMarks();
  };
  root.draw = (next) => {
    layers = next;
    plane?.draw(layers);
  };
  root.annotate = (next) => {
    marks = next;
    paintMarks();
  };
  root.destroy = () => {
    root.removeEventListener("pointerdown", onDown);
    root.removeEventListener("pointermove", onMove);
    root.removeEventListener("keydown", onKey);
  };
  describe();
  return root;
}
