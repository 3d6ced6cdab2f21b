// Measures a learned-variance run (Improved DDPM's hybrid loss) against the fixed and optimal
// variances: npx tsx scripts/learned-variance.ts [--backend cpu|wasm] [--steps 2000] [--T 1000]
//   [--data ring] [--seed 1]. Prints, at several t, the learned σ² averaged over x_t ~ q_t (one step
// of the training grid and one step of a 3-step sampler) beside β̃, β and Analytic-DPM's σ*².
import {prepareNodeWasm} from "./node-wasm.js";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

const backend = arg("backend", "wasm");
const wasmDir = backend === "wasm" ? prepareNodeWasm() : "";
const tf = await import("../components/vendor/tfjs.js");
if (backend === "wasm") {
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  tf.setWasmPaths(wasmDir);
}
await tf.setBackend(backend);
const {VarianceTrainer} = await import("../components/model/learned-variance.js");
const {meanLearnedVariance} = await import("../components/samplers/learned-ddpm.js");
const {sampleDataset} = await import("../components/math/datasets.js");
const {mixtureByName} = await import("../components/math/mixture.js");
const {analyticVarianceRule} = await import("../components/math/analytic-dpm.js");
const {posteriorBetween, noiseWith} = await import("../components/math/forward.js");
const {rngFromSeed, fillNormal} = await import("../components/math/random.js");
const {makeSchedule} = await import("../components/math/schedules.js");

const T = Number(arg("T", "1000")), steps = Number(arg("steps", "2000")), data = arg("data", "ring") as "ring", seed = Number(arg("seed", "1"));
const schedule = makeSchedule("cosine", T);
const trainer = new VarianceTrainer({data: sampleDataset(data, 4000, rngFromSeed(1)), schedule, seed});
const rule = analyticVarianceRule(mixtureByName(data));
const started = performance.now();
while (trainer.step < steps) {
  const r = await trainer.runChunk(100);
  if (r.step % 500 === 0) console.log(`step ${r.step}: L_simple ${r.simple.toFixed(4)}, KL ${r.vlb.toExponential(3)} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
const den = trainer.denoiser();
const x0 = sampleDataset(data, 2000, rngFromSeed(99));
for (const stride of [1, Math.round(T / 3)]) {
  console.log(`\nstride ${stride}:   t     β̃          learned    σ*²        β          (learned − σ*²)/σ*²`);
  for (const t of [1, 2, 5, 10, 20, 50, 100, 200, 350, 500, 700, 900, T - 1].filter((t) => t >= stride && t < T)) {
    const abT = schedule.alphaBar[t], abS = schedule.alphaBar[t - stride];
    const xt = noiseWith(x0, fillNormal(new Float64Array(x0.length), rngFromSeed(t)), abT);
    const learned = await meanLearnedVariance(den, t, abT, abS, xt), opt = rule(abT, abS);
    const f = (v: number) => v.toExponential(3).padEnd(10);
    console.log(`${String(t).padStart(14)}  ${f(posteriorBetween(abT, abS).variance)} ${f(learned)} ${f(opt)} ${f(1 - abT / abS)} ${((learned - opt) / opt).toFixed(3)}`);
  }
}
trainer.dispose();
