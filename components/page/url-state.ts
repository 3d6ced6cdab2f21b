// A chapter's controls in the URL, from one declarative table (as TensorFlow Playground does), so a
// link reproduces what the reader saw and back/forward step through their changes. The same table
// describes each control's input (page/controls.ts builds them), so a range is declared once.

/** How a parameter is shown as an input; a parameter without one has no input of its own. */
export type ControlSpec =
  | {kind: "range" | "number"; label: string; /** a logarithmic slider */ log?: boolean}
  | {kind: "select" | "radio"; label: string; /** what the reader sees for each choice (default: the choice) */ labels?: Record<string, string>}
  | {kind: "toggle"; label: string}
  /** A timestep slider with a play button (views/scrubber.ts) that shows "value / max". */
  | {kind: "scrubber"; label: string; /** seconds for a full sweep when playing */ duration?: number}
  | {kind: "text"; label: string; placeholder?: string; /** a button that commits the text (else every keystroke does) */ submit?: string};

/** How one URL parameter is read and written. `parse` returns undefined for a value it refuses. */
export interface Param<T> {
  default: T;
  parse(raw: string): T | undefined;
  format(value: T): string;
  /** Bounds and step of a number parameter. */
  min?: number;
  max?: number;
  step?: number;
  /** The allowed values of a choice parameter, in display order. */
  choices?: readonly T[];
  control?: ControlSpec;
}

export type Table = Record<string, Param<any>>;
export type Values<P extends Table> = {[K in keyof P]: P[K]["default"]};

type NumberControl = {label: string; kind?: "range" | "number"; log?: boolean} | {label: string; kind: "scrubber"; duration?: number};
type ChoiceControl = {label: string; kind?: "select" | "radio"; labels?: Record<string, string>};

/**
 * A number in [min, max] (rounded to `step` when given); anything else falls back to the default.
 * With `control`, pages show it as a slider (default), a number box or a playable scrubber over the
 * same range.
 */
export function numberParam(value: number, {min = -Infinity, max = Infinity, step}: {min?: number; max?: number; step?: number} = {}, control?: NumberControl): Param<number> {
  return {
    default: value,
    parse(raw) {
      const v = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(v) || v < min || v > max) return undefined;
      return step ? Math.round(v / step) * step : v;
    },
    format: (v) => String(+v.toPrecision(12)),
    min, max, step,
    ...(control ? {control: control.kind === "scrubber"
      ? {kind: "scrubber" as const, label: control.label, duration: control.duration}
      : {kind: control.kind ?? "range", label: control.label, log: control.log}} : {}),
  };
}

/** One of a fixed set of names; with `control`, a menu (default) or radio buttons of them. */
export function choiceParam<T extends string>(value: T, choices: readonly T[], control?: ChoiceControl): Param<T> {
  return {
    default: value, parse: (raw) => (choices.includes(raw as T) ? (raw as T) : undefined), format: String, choices,
    ...(control ? {control: {kind: control.kind ?? "select", label: control.label, labels: control.labels}} : {}),
  };
}

/** Free text up to `maxLength` characters; with `control`, a text box (committed by its button if `submit`). */
export function textParam(value: string, {maxLength = 200} = {}, control?: {label: string; placeholder?: string; submit?: string}): Param<string> {
  return {
    default: value, parse: (raw) => (raw.length <= maxLength ? raw : undefined), format: String,
    ...(control ? {control: {kind: "text" as const, ...control}} : {}),
  };
}

/** true/false (also 1/0); with `control`, a toggle. */
export function booleanParam(value: boolean, control?: {label: string}): Param<boolean> {
  return {
    default: value, parse: (raw) => ({true: true, "1": true, false: false, "0": false} as Record<string, boolean>)[raw], format: String,
    ...(control ? {control: {kind: "toggle" as const, label: control.label}} : {}),
  };
}

/** The table's defaults as values. */
export function defaults<P extends Table>(table: P): Values<P> {
  return Object.fromEntries(Object.entries(table).map(([k, p]) => [k, p.default])) as Values<P>;
}

export interface ReadResult<P extends Table> {
  values: Values<P>;
  /** Human-readable notes on parameters that were unknown or out of range (they fell back). */
  rejected: string[];
}

/** Reads the table's values from a query string; unknown and invalid parameters are reported. */
export function readState<P extends Table>(table: P, search: string): ReadResult<P> {
  const query = new URLSearchParams(search);
  const values = {} as Values<P>, rejected: string[] = [];
  for (const key of Object.keys(table) as (keyof P & string)[]) {
    const raw = query.get(key);
    const parsed = raw === null ? undefined : table[key].parse(raw);
    if (raw !== null && parsed === undefined) rejected.push(`${key}=${raw} is not valid; using ${table[key].format(table[key].default)}`);
    values[key] = parsed ?? table[key].default;
  }
  for (const key of query.keys()) if (!(key in table)) rejected.push(`${key} is not a setting of this page; ignored`);
  return {values, rejected};
}

/**
 * readState with defaults that depend on the values: the query is read once with `table` (whose
 * defaults decide what `tableFor` picks, e.g. the data set), then again with `tableFor(values)`, so
 * a parameter missing from the query takes the default that goes with the others.
 */
export function readDependentState<P extends Table>(table: P, tableFor: (values: Values<P>) => P, search: string): ReadResult<P> {
  return readState(tableFor(readState(table, search).values), search);
}

/** The query string for these values, listing only those that differ from the defaults. */
export function formatState<P extends Table>(table: P, values: Partial<Values<P>>): string {
  const query = new URLSearchParams();
  for (const key of Object.keys(table)) {
    const v = values[key];
    if (v !== undefined && table[key].format(v) !== table[key].format(table[key].default)) query.set(key, table[key].format(v));
  }
  const s = query.toString();
  return s ? `?${s}` : "";
}

type InputLike = EventTarget & {value: unknown};

/**
 * Keeps inputs and the URL in step. Inputs rewrite the URL in place (at most every 150 ms); a pause of `settle` ms
 * after changes turns the latest state into a history entry, so back/forward step through what the
 * reader settled on rather than every slider frame. On popstate the inputs take the URL's values
 * (dispatching "input" so dependent cells update). `tableFor` gives the table whose defaults apply to
 * some values (e.g. a data set's training recipe; see readDependentState), else `table`'s apply.
 * Returns a function that detaches everything.
 */
export function syncInputs<P extends Table>(table: P, inputs: Partial<Record<keyof P, InputLike>>,
  {settle = 600, tableFor}: {settle?: number; tableFor?: (values: Values<P>) => P} = {}): () => void {
  const entries = Object.entries(inputs) as [string, InputLike][];
  let timer: ReturnType<typeof setTimeout> | undefined, writer: ReturnType<typeof setTimeout> | undefined;
  let pending = false, restoring = false;
  const current = () => Object.fromEntries(entries.map(([k, input]) => [k, input.value])) as Partial<Values<P>>;
  // With `tableFor`, the defaults a URL is written against depend on the values themselves.
  const tableOf = (values: Values<P>) => (tableFor ? tableFor(values) : table);
  const url = () => {
    const values = {...readState(table, location.search).values, ...current()};
    return location.pathname + formatState(tableOf(values), values) + location.hash;
  };
  // The URL is written at most every `write` ms: a slider dragged or played at 60 Hz would otherwise
  // call the history API every frame, which Chromium throttles and which cost ~15 ms a frame.
  const write = 150;
  const flush = () => {
    writer = undefined;
    if (!pending) history.pushState(null, "", url()); // the first change of a burst makes an entry…
    else history.replaceState(null, "", url()); // …the rest update it
    pending = true;
    clearTimeout(timer);
    timer = setTimeout(() => (pending = false), settle);
  };
  const onInput = () => {
    if (restoring) return; // our own popstate restoration: the URL is already right
    writer ??= setTimeout(flush, write);
  };
  const onPop = () => {
    const {values} = readState(tableOf(readState(table, location.search).values), location.search);
    restoring = true;
    try {
      for (const [k, input] of entries) {
        if (table[k].format(input.value) === table[k].format(values[k])) continue;
        input.value = values[k];
        input.dispatchEvent(new Event("input", {bubbles: true}));
      }
    } finally {
      restoring = false;
    }
    pending = false;
  };
  for (const [, input] of entries) input.addEventListener("input", onInput);
  addEventListener("popstate", onPop);
  return () => {
    clearTimeout(timer);
    clearTimeout(writer);
    for (const [, input] of entries) input.removeEventListener("input", onInput);
    removeEventListener("popstate", onPop);
  };
}

/** A quiet notice listing rejected parameters, or an empty span when there are none. */
export function StateNotice(rejected: readonly string[]): HTMLElement {
  const note = document.createElement(rejected.length ? "p" : "span");
  if (rejected.length) {
    note.className = "state-notice";
    note.setAttribute("role", "status");
    note.textContent = `Some link settings were ignored: ${rejected.join("; ")}.`;
  }
  return note;
}
