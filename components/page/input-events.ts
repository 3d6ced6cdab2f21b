// Inputs driven and read the way a reader's changes drive them: through their value and "input"
// events (Observable's convention, so `view()` and `Generators.input` see the change). No DOM needed.

/** Sets an input's value as a reader's change would: the value, then a bubbling "input" event. */
export function setControl(input: EventTarget & {value: unknown}, value: unknown): void {
  input.value = value;
  input.dispatchEvent(new Event("input", {bubbles: true}));
}

/**
 * Calls `notify` with the values of `inputs` (by key) now and after every "input" event on any of
 * them, so several controls feed one reactive value (`Generators.observe((notify) => watchValues(…))`).
 * Returns the function that removes its listeners.
 */
export function watchValues<K extends string>(inputs: Record<K, EventTarget & {value: unknown}>, notify: (values: Record<K, any>) => void): () => void {
  const entries = Object.entries(inputs) as [K, EventTarget & {value: unknown}][];
  const read = () => notify(Object.fromEntries(entries.map(([k, input]) => [k, input.value])) as Record<K, any>);
  for (const [, input] of entries) input.addEventListener("input", read);
  read();
  return () => { for (const [, input] of entries) input.removeEventListener("input", read); };
}
