// Radio buttons with a colour swatch per class: an input (.value is the class index, "input" events),
// so a page can `view()` it and url-state can keep it in the URL. The classes can change (another data
// set) without replacing the element, so listeners bound to it stay valid.
import {classColor} from "./class-colors.js";
import type {ClassInfo} from "../math/labelled.js";

export interface ClassPicker extends HTMLFormElement {
  /** The chosen class index. */
  value: number;
  /** Offers these classes; a value past the end falls back to 0 and fires "input". */
  setClasses(classes: readonly ClassInfo[]): void;
}

let uid = 0;

/** A labelled group of radio buttons, one per class, each with its colour (keyboard: Tab to the group, arrows to move). */
export function ClassPicker({classes, value = 0, label}: {classes: readonly ClassInfo[]; value?: number; label: string}): ClassPicker {
  const id = `class-picker-${++uid}`;
  const root = document.createElement("form") as unknown as ClassPicker;
  root.className = "class-picker";
  root.style.cssText = "display:flex;flex-wrap:wrap;align-items:center;gap:0.25rem 0.75rem;font:13px var(--sans-serif);margin:0.4rem 0;";
  const legend = document.createElement("span");
  legend.id = `${id}-label`;
  legend.textContent = label;
  legend.style.cssText = "min-width:7rem;";
  const group = document.createElement("div");
  group.setAttribute("role", "radiogroup");
  group.setAttribute("aria-labelledby", legend.id);
  group.style.cssText = "display:flex;flex-wrap:wrap;gap:0.25rem 0.75rem;";
  root.append(legend, group);
  let current = value;

  root.setClasses = (list) => {
    group.replaceChildren(...list.map((info, c) => {
      const item = document.createElement("label");
      item.style.cssText = "display:inline-flex;align-items:center;gap:0.3rem;cursor:pointer;";
      item.innerHTML = `<input type="radio" name="${id}" value="${c}"><span aria-hidden="true" style="display:inline-block;width:0.8em;height:0.8em;border-radius:50%;background:${classColor(info.color)}"></span>`;
      item.append(info.label);
      return item;
    }));
    const fallback = !(current >= 0 && current < list.length);
    if (fallback) current = 0;
    sync();
    if (fallback) root.dispatchEvent(new Event("input", {bubbles: true}));
  };
  const sync = () => {
    for (const input of group.querySelectorAll("input")) input.checked = Number(input.value) === current;
  };
  group.addEventListener("change", (event) => {
    current = Number((event.target as HTMLInputElement).value);
    root.dispatchEvent(new Event("input", {bubbles: true}));
  });
  // The radios' own "input" events would reach the page with the radio's value; only the form's count.
  group.addEventListener("input", (event) => event.stopPropagation());
  root.addEventListener("submit", (event) => event.preventDefault());
  Object.defineProperty(root, "value", {
    get: () => current,
    set: (v: number) => {
      current = v;
      sync();
    },
  });
  root.setClasses(classes);
  return root;
}
