// Stands in for Node's "util" inside the tfjs bundle, so that one bundle runs in browsers and in Node
// (tfjs-core's Node platform asks util for TextEncoder/TextDecoder and typed-array checks only).
export const TextEncoder = globalThis.TextEncoder;
export const TextDecoder = globalThis.TextDecoder;
export const types = {
  isFloat32Array: (x) => x instanceof Float32Array,
  isInt32Array: (x) => x instanceof Int32Array,
  isUint8Array: (x) => x instanceof Uint8Array,
  isUint8ClampedArray: (x) => x instanceof Uint8ClampedArray,
};
export default {TextEncoder, TextDecoder, types};
