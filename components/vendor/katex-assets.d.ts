// Types for the generated KaTeX assets module (scripts/vendor.mjs).
export declare const fonts: Record<string, string>;
export declare const css: string;
