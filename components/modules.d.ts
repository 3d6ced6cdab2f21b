// Packages without bundled types, declared as far as this project uses them.
declare module "@observablehq/inputs" {
  type Input<T> = HTMLElement & {value: T};
  export function range(extent?: [number, number], options?: Record<string, unknown>): Input<number>;
  export function select<T>(data: readonly T[] | Map<string, T>, options?: Record<string, unknown>): Input<T>;
  export function radio<T>(data: readonly T[] | Map<string, T>, options?: Record<string, unknown>): Input<T>;
  export function toggle(options?: Record<string, unknown>): Input<boolean>;
  export function button(content?: unknown, options?: Record<string, unknown>): Input<unknown>;
  export function checkbox<T>(data: readonly T[], options?: Record<string, unknown>): Input<T[]>;
  export function number(extent?: [number, number], options?: Record<string, unknown>): Input<number>;
  export function text(options?: Record<string, unknown>): Input<string>;
  export function form(inputs: Record<string, Input<unknown>>, options?: Record<string, unknown>): Input<Record<string, unknown>>;
}
declare module "htl" {
  export function html(strings: TemplateStringsArray, ...values: unknown[]): HTMLElement;
  export function svg(strings: TemplateStringsArray, ...values: unknown[]): SVGElement;
}
