// The inputs of a chapter, generated from its URL table (page/url-state.ts), so each control's range,
// choices and label are declared once.
import {Inputs} from "./inputs.js";
import type {Table, Values} from "./url-state.js";

type Input = HTMLElement & {value: unknown};

/**
 * One input per parameter of `table` that declares a control, starting at `values` (a readState
 * result). A log slider moves evenly in log space; ranges name their slider for screen readers.
 */
export function controlsFor<P extends Table>(table: P, values: Values<P>): {[K in keyof P]: Input} {
  const out: Record<string, Input> = {};
  for (const [key, param] of Object.entries(table)) {
    const c = param.control;
    if (!c) continue;
    const value = values[key];
    const extent: [number, number] = [param.min ?? -Infinity, param.max ?? Infinity];
    switch (c.kind) {
      case "range":
        out[key] = Inputs.range(extent, {label: c.label, step: param.step, value, ...(c.log ? {transform: Math.log} : {})});
        break;
      case "number":
        out[key] = Inputs.number(extent, {label: c.label, step: param.step, value});
        break;
      case "select":
      case "radio": {
        const choices = new Map((param.choices ?? []).map((choice: string) => [c.labels?.[choice] ?? choice, choice]));
        out[key] = (c.kind === "select" ? Inputs.select : Inputs.radio)(choices, {label: c.label, value});
        break;
      }
      case "toggle":
        out[key] = Inputs.toggle({label: c.label, value});
        break;
      case "text":
        out[key] = Inputs.text({label: c.label, value, placeholder: c.placeholder, ...(c.submit ? {submit: c.submit} : {})});
        break;
    }
  }
  return out as {[K in keyof P]: Input};
}
