// A point of the plane as an input: two sliders (x and y) whose value is [x, y], which a plot can
// also set where the reader presses it, so keyboard and pointer move the same point.
import {Inputs} from "./inputs.js";

export interface PointInput extends HTMLDivElement {
  /** The point [x, y]; setting it moves the sliders without an "input" event. */
  value: [number, number];
  /** Sets the point as the reader would (e.g. from Plane's onPick) and dispatches "input". */
  pick(point: [number, number]): void;
}

/**
 * Sliders over [−extent, extent] in steps of `step`, named `labels` (e.g. "probe x", "probe y").
 * A picked point keeps its exact coordinates; the sliders show it to the nearest step.
 */
export function PointInput({value, extent, step, labels}: {value: [number, number]; extent: number; step: number; labels: [string, string]}): PointInput {
  const sliders = labels.map((label, i) => Inputs.range([-extent, extent], {label, step, value: value[i]}) as HTMLElement & {value: number});
  const root = document.createElement("div") as unknown as PointInput;
  root.className = "point-input";
  root.append(...sliders);
  let point: [number, number] = [...value];
  // Registered before any reader of the element's value: a slider's "input" bubbles here first. Only
  // the moved coordinate changes; the other keeps its exact (picked) value.
  root.addEventListener("input", (event) => {
    const moved = sliders.findIndex((slider) => slider.contains(event.target as Node));
    if (moved >= 0) point = moved ? [point[0], sliders[1].value] : [sliders[0].value, point[1]];
  });
  Object.defineProperty(root, "value", {
    get: () => point,
    set: (p: [number, number]) => {
      point = [p[0], p[1]];
      sliders.forEach((slider, i) => (slider.value = p[i]));
    },
  });
  root.pick = (p) => {
    root.value = p;
    root.dispatchEvent(new Event("input", {bubbles: true}));
  };
  return root;
}
