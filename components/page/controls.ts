// The inputs of a chapter, generated from its URL table (page/url-state.ts), so each control's range,
// choices and label are declared once.
import {Inputs} from "./inputs.js";
import {Scrubber} from "../views/scrubber.js";
import {readState, syncInputs, type Table, type Values} from "./url-state.js";

type Input = HTMLElement & {value: unknown};

/**
 * One input per parameter of `table` that declares a control, starting at `values` (a readState
 * result). A log slider moves evenly in log space; ranges name their slider for screen readers (a
 * log slider as "<label>, logarithmic slider", since its position is not the number shown beside it).
 * Each input carries its parameter's name as `data-control`, so tests and styles can find it.
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
        if (c.log) out[key].querySelector("input[type=range]")?.setAttribute("aria-label", `${c.label}, logarithmic slider`);
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
      case "scrubber": // a timestep slider with a play button, showing "value / max"
        out[key] = Scrubber({min: param.min, max: param.max!, step: param.step, value, label: c.label, duration: c.duration,
          format: (k) => `${k} / ${param.max}`});
        break;
      case "toggle":
        out[key] = Inputs.toggle({label: c.label, value});
        break;
      case "text":
        out[key] = Inputs.text({label: c.label, value, placeholder: c.placeholder, ...(c.submit ? {submit: c.submit} : {})});
        break;
    }
    out[key].dataset.control = key;
  }
  return out as {[K in keyof P]: Input};
}

/**
 * A chapter's inputs in one call: the table's values read from the URL (`rejected` lists what was
 * ignored, for StateNotice), inputs built from them, and the URL kept in step with the inputs until
 * `invalidation` resolves.
 */
export function chapterControls<P extends Table>(table: P, invalidation: Promise<unknown>, search = location.search): {controls: {[K in keyof P]: Input}; rejected: string[]} {
  const {values, rejected} = readState(table, search);
  const controls = controlsFor(table, values);
  invalidation.then(syncInputs(table, controls));
  return {controls, rejected};
}
