// The denoiser network's configuration without the network: its fields and their checks, the names
// and shapes of its weights, and the fixed Fourier feature matrix. Free of tfjs, so weights files
// and pages can read and check a model without loading TensorFlow.js.
import {normalFrom, rngFromSeed} from "../math/random.js";

/** Hidden-layer nonlinearity. ReLU is the cheapest on wasm: SiLU was measured ~28% slower per training step there. */
export type Activation = "relu" | "silu" | "gelu" | "elu" | "tanh";
/** What the network outputs: the noise ε, the clean point x0, or v = √ᾱ·ε − √(1−ᾱ)·x0. */
export type Prediction = "eps" | "x0" | "v";

/** Everything that fixes a denoiser network's shape and units (weights files record it whole). */
export interface DenoiserConfig {
  /** Dimension of each point. */
  d: number;
  /** Units per hidden layer. */
  width: number;
  /** Number of hidden layers. */
  depth: number;
  activation: Activation;
  prediction: Prediction;
  /** Timesteps of the schedule the network is trained on (rows of the embedding table). */
  T: number;
  /** Width of the sinusoidal timestep embedding (even). */
  embedDim: number;
  /** Multiplier on t inside the sinusoids (see EmbeddingSpec.scale); default 1000/T. */
  embedScale?: number;
  /** "input": e(t) is concatenated to x_t only; "every-layer": also to each hidden layer's input. */
  timeInput: "input" | "every-layer";
  /**
   * Random Fourier features of x_t fed to the first layer beside x_t (Tancik et al. 2020):
   * [sin 2πx_tB, cos 2πx_tB] with B [d, fourierFeatures] ~ N(0, fourierScale²) drawn from a fixed
   * seed, so a config always means the same B. 0 or absent: none. They let a small MLP bend sharply
   * around thin data (low t) in few steps. Unlike the timestep embedding they are computed on device:
   * for standardised data the phases stay within a few tens of radians, not the ~10³ where GPU sin/cos
   * were measured to drift.
   */
  fourierFeatures?: number;
  /** Standard deviation of B's entries (cycles per unit of x_t). */
  fourierScale?: number;
}

/** Network shape: everything in DenoiserConfig except what the data and the schedule fix (d, T). */
export type ModelConfig = Omit<DenoiserConfig, "d" | "T">;

/** The ModelConfig part of `c`: every field but d and T, so a field added to DenoiserConfig later carries over. */
export function modelConfigOf(c: DenoiserConfig): ModelConfig {
  const {d: _d, T: _T, ...model} = c;
  return model;
}

/** Seed of the Fourier feature matrix B: a constant, so weights files need not store B. */
const FOURIER_SEED = 20200618;

/** B of `fourierFeatures`, row-major [d, F] (Float64). */
export function fourierMatrix(c: DenoiserConfig): Float64Array {
  const F = c.fourierFeatures ?? 0, scale = c.fourierScale ?? 1;
  const normal = normalFrom(rngFromSeed(FOURIER_SEED));
  return Float64Array.from({length: c.d * F}, () => scale * normal());
}

/** One weight tensor of the network: its name in weights files and its shape. */
export interface ParamSpec {
  name: string;
  shape: number[];
}

/** Names and shapes of the parameters, in the order of `params`, exportWeights and importWeights. */
export function paramSpecs(c: DenoiserConfig): ParamSpec[] {
  const specs: ParamSpec[] = [];
  let fanIn = c.d + 2 * (c.fourierFeatures ?? 0) + c.embedDim;
  for (let k = 0; k <= c.depth; ++k) {
    const fanOut = k === c.depth ? c.d : c.width;
    specs.push({name: `dense${k}/kernel`, shape: [fanIn, fanOut]}, {name: `dense${k}/bias`, shape: [fanOut]});
    fanIn = c.width + (c.timeInput === "every-layer" ? c.embedDim : 0);
  }
  return specs;
}

/** The config with every optional field filled in with its default (embedScale 1000/T, no Fourier features). */
export function normalizeConfig(c: DenoiserConfig): Required<DenoiserConfig> {
  const F = c.fourierFeatures ?? 0;
  return {...c, embedScale: c.embedScale ?? 1000 / c.T, fourierFeatures: F, fourierScale: F ? c.fourierScale ?? 1 : 1};
}

/** Checks a config's fields; throws a RangeError naming the first bad one. */
export function validateConfig(c: DenoiserConfig): void {
  const positiveInt = (name: keyof DenoiserConfig) => {
    const v = c[name];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${String(v)}`);
  };
  positiveInt("d"); positiveInt("width"); positiveInt("depth"); positiveInt("T"); positiveInt("embedDim");
  if (c.embedDim % 2) throw new RangeError(`embedDim must be even, got ${c.embedDim}`);
  if (!["relu", "silu", "gelu", "elu", "tanh"].includes(c.activation)) throw new RangeError(`unknown activation ${String(c.activation)}`);
  if (!["eps", "x0", "v"].includes(c.prediction)) throw new RangeError(`unknown prediction type ${String(c.prediction)}`);
  if (!["input", "every-layer"].includes(c.timeInput)) throw new RangeError(`unknown timeInput ${String(c.timeInput)}`);
  if (c.embedScale !== undefined && !(Number.isFinite(c.embedScale) && c.embedScale > 0)) throw new RangeError(`embedScale must be positive, got ${c.embedScale}`);
  const F = c.fourierFeatures;
  if (F !== undefined && !(Number.isInteger(F) && F >= 0)) throw new RangeError(`fourierFeatures must be a non-negative integer, got ${F}`);
  if (c.fourierScale !== undefined && !(Number.isFinite(c.fourierScale) && c.fourierScale > 0)) throw new RangeError(`fourierScale must be positive, got ${c.fourierScale}`);
}

/** Throws unless `weights` has one array per spec with the spec's element count and only finite values. */
export function checkWeights(specs: ParamSpec[], weights: ArrayLike<Float32Array>): void {
  if (weights.length !== specs.length) throw new Error(`expected ${specs.length} weight tensors, got ${weights.length}`);
  specs.forEach(({name, shape}, i) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const w = weights[i];
    if (!(w instanceof Float32Array) || w.length !== size) {
      throw new Error(`${name} should hold ${size} values (shape [${shape}]), got ${w?.length ?? "none"}`);
    }
    for (let j = 0; j < w.length; ++j) if (!Number.isFinite(w[j])) throw new Error(`${name} contains a non-finite value (${w[j]}) at index ${j}`);
  });
}
