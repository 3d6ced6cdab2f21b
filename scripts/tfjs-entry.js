// Entry for the one browser ESM file that carries TensorFlow.js and its backends.
// Framework's own bundling of @tensorflow/tfjs loses seedrandom's named exports (random ops then throw
// "alea is not a function"), so we pre-bundle.
export * from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-webgl";
import "@tensorflow/tfjs-backend-webgpu";
export {setWasmPaths, setThreadsCount, getThreadsCount} from "@tensorflow/tfjs-backend-wasm";
import "@tensorflow/tfjs-core/dist/register_all_gradients";
