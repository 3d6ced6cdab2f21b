// Noise schedules, indexed exactly as HuggingFace diffusers indexes them:
// t = 0..T−1, β_t is the variance added by step t, ᾱ_t = ∏_{s≤t} (1−β_s). The clean data x0
// sits "before" index 0 (ᾱ = 1), so x_t for t = 0 has already had one step of noise.

/** The beta schedules `makeSchedule` knows (EDM/Karras is a σ grid: see `karrasSigmas`). */
export type ScheduleName = "linear" | "scaled-linear" | "cosine" | "sigmoid";

/** The beta schedules in display order, with the label a page shows. */
export const SCHEDULES: readonly {name: ScheduleName; label: string}[] = [
  {name: "linear", label: "Linear (DDPM)"},
  {name: "scaled-linear", label: "Scaled linear (Stable Diffusion)"},
  {name: "cosine", label: "Cosine (improved DDPM)"},
  {name: "sigmoid", label: "Sigmoid (GeoDiff)"},
];

/** A beta schedule as data, what a URL, a worker message and a weights file carry: makeSchedule(name, T) builds it. */
export interface ScheduleSpec {
  name: ScheduleName;
  /** Number of timesteps. */
  T: number;
}

/**
 * Checks a {name, T} from outside the code (a weights file, a command line): `name` one of SCHEDULES,
 * T an integer ≥ 1. Returns it typed; throws a RangeError that says what is wrong.
 */
export function checkScheduleSpec(spec: {name?: unknown; T?: unknown}): ScheduleSpec {
  const {name, T} = spec;
  if (!isScheduleName(name)) throw new RangeError(`unknown schedule ${JSON.stringify(name)}; the known ones are ${SCHEDULES.map((s) => s.name).join(", ")}`);
  if (typeof T !== "number" || !Number.isInteger(T) || T < 1) throw new RangeError(`schedule T must be an integer ≥ 1, got ${JSON.stringify(T)}`);
  return {name, T};
}

/** Whether `name` names one of SCHEDULES. */
export function isScheduleName(name: unknown): name is ScheduleName {
  return SCHEDULES.some((s) => s.name === name);
}

/**
 * A discrete schedule. Every array has length T and is indexed by t = 0..T−1.
 * With a zero-terminal-SNR schedule ᾱ_{T−1} = 0, so sigma[T−1] = ∞, snr[T−1] = 0, logSnr[T−1] = −∞.
 */
export interface Schedule {
  /** Which beta maker produced it ("custom" for `scheduleFromBetas` without a name). */
  readonly name: ScheduleName | "custom";
  readonly T: number;
  /** β_t ∈ (0, 1]. */
  readonly betas: Float64Array;
  /** α_t = 1 − β_t. */
  readonly alphas: Float64Array;
  /** ᾱ_t = ∏_{s≤t} α_s. */
  readonly alphaBar: Float64Array;
  /** √ᾱ_t, the signal coefficient of q(x_t | x0). */
  readonly sqrtAlphaBar: Float64Array;
  /** √(1 − ᾱ_t), the noise coefficient of q(x_t | x0). */
  readonly sqrtOneMinusAlphaBar: Float64Array;
  /** σ_t = √((1−ᾱ_t)/ᾱ_t): the noise level of x_t/√ᾱ_t, the variance-exploding view (Karras et al. 2022, §2). */
  readonly sigma: Float64Array;
  /** SNR_t = ᾱ_t/(1−ᾱ_t) (Kingma et al. 2021, eq. 2 with α² = ᾱ, σ² = 1−ᾱ). */
  readonly snr: Float64Array;
  /** log SNR_t, natural log. Strictly decreasing in t. */
  readonly logSnr: Float64Array;
}

/** Options for `makeSchedule`; each beta maker reads only the ones it needs. */
export interface ScheduleOptions {
  /** First β (linear, scaled-linear, sigmoid). */
  betaStart?: number;
  /** Last β (linear, scaled-linear, sigmoid). */
  betaEnd?: number;
  /** Cosine offset s (default 0.008). */
  s?: number;
  /** Cosine β cap (default 0.999). */
  maxBeta?: number;
  /** Apply `rescaleZeroTerminalSnr` to the betas (default false). */
  zeroTerminalSnr?: boolean;
}

function checkT(T: number): void {
  if (!Number.isInteger(T) || T < 1) throw new RangeError(`schedule: T must be an integer ≥ 1, got ${T}`);
}

/** T evenly spaced values from a to b inclusive, as torch.linspace (a single value a when T = 1). */
function linspace(a: number, b: number, T: number): Float64Array {
  const out = new Float64Array(T);
  for (let i = 0; i < T; ++i) out[i] = T === 1 ? a : a + ((b - a) * i) / (T - 1);
  if (T > 1) out[T - 1] = b; // a + (b − a) can miss b by an ulp
  return out;
}

/**
 * β_t = betaStart + (betaEnd − betaStart)·t/(T−1). Ho, Jain & Abbeel 2020 (DDPM), §4:
 * T = 1000, β from 1e-4 to 0.02. Not rescaled with T (as diffusers), so a short chain
 * with these endpoints does not reach pure noise.
 */
export function linearBetas(T: number, betaStart = 1e-4, betaEnd = 0.02): Float64Array {
  checkT(T);
  return linspace(betaStart, betaEnd, T);
}

/**
 * β_t = (√betaStart + (√betaEnd − √betaStart)·t/(T−1))²: linear in √β. The "scaled_linear"
 * schedule of latent diffusion / Stable Diffusion (Rombach et al. 2022), β from 0.00085 to 0.012.
 */
export function scaledLinearBetas(T: number, betaStart = 0.00085, betaEnd = 0.012): Float64Array {
  checkT(T);
  const out = linspace(Math.sqrt(betaStart), Math.sqrt(betaEnd), T);
  for (let i = 0; i < T; ++i) out[i] *= out[i];
  return out;
}

/**
 * Cosine schedule, Nichol & Dhariwal 2021 (improved DDPM), eq. 17:
 * f(u) = cos²(((u/T) + s)/(1 + s) · π/2), ᾱ(u) = f(u)/f(0), and
 * β_t = min(1 − ᾱ(t+1)/ᾱ(t), maxBeta) = min(1 − f(t+1)/f(t), maxBeta) — diffusers' "squaredcos_cap_v2".
 * Unclipped, ∏_{s≤t}(1−β_s) telescopes to f(t+1)/f(0). The cap only bites at the last few t.
 */
export function cosineBetas(T: number, s = 0.008, maxBeta = 0.999): Float64Array {
  checkT(T);
  const f = (u: number) => Math.cos((((u / T) + s) / (1 + s)) * (Math.PI / 2)) ** 2;
  const out = new Float64Array(T);
  for (let t = 0; t < T; ++t) out[t] = Math.min(1 - f(t + 1) / f(t), maxBeta);
  return out;
}

/**
 * β_t = sigmoid(x_t)·(betaEnd − betaStart) + betaStart with x = linspace(−6, 6, T): diffusers'
 * "sigmoid" schedule, from GeoDiff (Xu et al. 2022, who used β from 1e-7 to 2e-3). Defaults here
 * are the DDPM endpoints 1e-4 and 0.02, as diffusers' defaults.
 */
export function sigmoidBetas(T: number, betaStart = 1e-4, betaEnd = 0.02): Float64Array {
  checkT(T);
  const x = linspace(-6, 6, T);
  for (let i = 0; i < T; ++i) x[i] = betaStart + (betaEnd - betaStart) / (1 + Math.exp(-x[i]));
  return x;
}

/**
 * Rescales betas so that the terminal SNR is exactly zero: Lin, Liu, Li & Yang 2024, "Common
 * Diffusion Noise Schedules and Sample Steps are Flawed", Algorithm 1. √ᾱ is shifted so its last
 * value is 0 and scaled so its first value is unchanged: √ᾱ'_t = (√ᾱ_t − √ᾱ_{T−1})·√ᾱ_0/(√ᾱ_0 − √ᾱ_{T−1});
 * then α'_t = ᾱ'_t/ᾱ'_{t−1}, β' = 1 − α'. Result: β'_{T−1} = 1, ᾱ'_{T−1} = 0, ᾱ'_0 = ᾱ_0.
 * betas: length T ≥ 2. Returns a new array.
 */
export function rescaleZeroTerminalSnr(betas: Float64Array): Float64Array {
  const T = betas.length;
  if (T < 2) throw new RangeError("rescaleZeroTerminalSnr: needs T ≥ 2");
  const sqrtAb = new Float64Array(T);
  let ab = 1;
  for (let t = 0; t < T; ++t) sqrtAb[t] = Math.sqrt((ab *= 1 - betas[t]));
  const first = sqrtAb[0], last = sqrtAb[T - 1];
  const out = new Float64Array(T);
  let prev = 1;
  for (let t = 0; t < T; ++t) {
    const abNew = ((sqrtAb[t] - last) * first / (first - last)) ** 2;
    out[t] = 1 - abNew / prev;
    prev = abNew;
  }
  out[T - 1] = 1; // exact, whatever rounding left in the last subtraction
  return out;
}

/**
 * Builds every derived array from betas. ᾱ is accumulated as exp(Σ log(1−β)) and 1−ᾱ as
 * −expm1(Σ log(1−β)), so 1−ᾱ keeps full relative precision at small t, where ᾱ ≈ 1.
 * betas: length T, each in (0, 1].
 */
export function scheduleFromBetas(betas: Float64Array, name: Schedule["name"] = "custom"): Schedule {
  const T = betas.length;
  checkT(T);
  for (const b of betas) {
    if (!(b > 0 && b <= 1)) throw new RangeError(`schedule: every β must be in (0, 1], got ${b}`);
  }
  const arr = () => new Float64Array(T);
  const alphas = arr(), alphaBar = arr(), sqrtAlphaBar = arr(), sqrtOneMinusAlphaBar = arr();
  const sigma = arr(), snr = arr(), logSnr = arr();
  let logAb = 0;
  for (let t = 0; t < T; ++t) {
    alphas[t] = 1 - betas[t];
    logAb += Math.log1p(-betas[t]);
    const ab = Math.exp(logAb), oneMinus = -Math.expm1(logAb);
    alphaBar[t] = ab;
    sqrtAlphaBar[t] = Math.sqrt(ab);
    sqrtOneMinusAlphaBar[t] = Math.sqrt(oneMinus);
    sigma[t] = Math.sqrt(oneMinus / ab);
    snr[t] = ab / oneMinus;
    logSnr[t] = logAb - Math.log(oneMinus);
  }
  return {name, T, betas: Float64Array.from(betas), alphas, alphaBar, sqrtAlphaBar, sqrtOneMinusAlphaBar, sigma, snr, logSnr};
}

/** A named schedule of length T; see each beta maker for its formula and defaults. */
export function makeSchedule(name: ScheduleName, T: number, opts: ScheduleOptions = {}): Schedule {
  let betas: Float64Array;
  switch (name) {
    case "linear": betas = linearBetas(T, opts.betaStart, opts.betaEnd); break;
    case "scaled-linear": betas = scaledLinearBetas(T, opts.betaStart, opts.betaEnd); break;
    case "cosine": betas = cosineBetas(T, opts.s, opts.maxBeta); break;
    case "sigmoid": betas = sigmoidBetas(T, opts.betaStart, opts.betaEnd); break;
    default: throw new RangeError(`makeSchedule: unknown schedule ${String(name)}`);
  }
  if (opts.zeroTerminalSnr) betas = rescaleZeroTerminalSnr(betas);
  return scheduleFromBetas(betas, name);
}

/**
 * ᾱ after k forward steps, k = 0..T: 1 at k = 0 (clean data), alphaBar[k−1] otherwise.
 * The forward page's slider counts steps this way. Throws RangeError for other k.
 */
export function alphaBarAfter(schedule: Schedule, k: number): number {
  if (!Number.isInteger(k) || k < 0 || k > schedule.T) {
    throw new RangeError(`alphaBarAfter: k must be an integer in [0, ${schedule.T}], got ${k}`);
  }
  return k === 0 ? 1 : schedule.alphaBar[k - 1];
}

/**
 * ᾱ at a fractional timestep t ∈ [0, T−1], interpolating log ᾱ linearly between integer steps
 * (exact at integer t). Samplers on a σ grid land between steps. Throws RangeError outside the range.
 */
export function alphaBarAt(schedule: Schedule, t: number): number {
  const {alphaBar, T} = schedule;
  if (!(t >= 0 && t <= T - 1)) throw new RangeError(`alphaBarAt: t must be in [0, ${T - 1}], got ${t}`);
  const i = Math.floor(t), w = t - i;
  // w = 0 must not touch the next entry: log 0 = −∞ there (zero terminal SNR) and 0·∞ is NaN.
  if (w === 0) return alphaBar[i];
  return Math.exp((1 - w) * Math.log(alphaBar[i]) + w * Math.log(alphaBar[i + 1]));
}

/**
 * The fractional timestep whose σ is `sigma`: linear interpolation of t against log σ_t between
 * neighbouring integer steps, clamped to [0, T−1] — diffusers' `_sigma_to_t`, used with Karras
 * sigmas. Exact inverse of schedule.sigma at integer t. Between steps it interpolates log σ while
 * `alphaBarAt` interpolates log ᾱ, so σ(alphaBarAt(timestepForSigma(σ))) matches σ closely but not
 * exactly (the two interpolants differ most at the first few steps).
 */
export function timestepForSigma(schedule: Schedule, sigma: number): number {
  const {sigma: sigmas, T} = schedule;
  if (Number.isNaN(sigma)) throw new RangeError("timestepForSigma: sigma is NaN");
  if (T === 1 || sigma <= sigmas[0]) return 0;
  if (sigma >= sigmas[T - 1]) return T - 1;
  // Largest i with sigmas[i] ≤ sigma; sigmas is strictly increasing.
  let lo = 0, hi = T - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (sigmas[mid] <= sigma) lo = mid;
    else hi = mid;
  }
  const a = Math.log(sigmas[lo]), b = Math.log(sigmas[lo + 1]);
  const w = Math.min(1, Math.max(0, (Math.log(sigma) - a) / (b - a)));
  return lo + w;
}

/** Options for `karrasSigmas`. */
export interface KarrasOptions {
  sigmaMin?: number;
  sigmaMax?: number;
  rho?: number;
}

/**
 * EDM noise levels, Karras, Aittala, Aila & Laine 2022, eq. 5:
 * σ_i = (σmax^{1/ρ} + i/(n−1)·(σmin^{1/ρ} − σmax^{1/ρ}))^ρ for i = 0..n−1, then σ_n = 0.
 * Returns length n+1, descending from sigmaMax to sigmaMin, then 0. n = 1 gives [sigmaMax, 0].
 */
export function karrasSigmas(n: number, {sigmaMin = 0.002, sigmaMax = 80, rho = 7}: KarrasOptions = {}): Float64Array {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`karrasSigmas: n must be an integer ≥ 1, got ${n}`);
  if (!(sigmaMin > 0 && sigmaMax >= sigmaMin)) throw new RangeError("karrasSigmas: need 0 < sigmaMin ≤ sigmaMax");
  const out = new Float64Array(n + 1);
  const a = sigmaMax ** (1 / rho), b = sigmaMin ** (1 / rho);
  for (let i = 0; i < n; ++i) out[i] = n === 1 ? sigmaMax : (a + (i / (n - 1)) * (b - a)) ** rho;
  // Pin the ends so round-off in the powers cannot move them.
  out[0] = sigmaMax;
  if (n > 1) out[n - 1] = sigmaMin;
  return out;
}
