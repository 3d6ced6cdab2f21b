// Types for the pre-bundled tfjs (scripts/tfjs-entry.js): core plus the wasm backend's path setters.
export * from "@tensorflow/tfjs-core";
export {setWasmPaths, setThreadsCount, getThreadsCount} from "@tensorflow/tfjs-backend-wasm";
