import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {LABELLED, classMixture, classPrior, labelledByName, sampleLabelled} from "../../components/math/labelled.js";
import {classPosteriorAt, classifierGradientAt, classify, conditionalScoreAt, exactClassifier, exactConditionalDenoiser} from "../../components/math/classifier.js";
import {exactDenoiser, logDensity, noiseMixture} from "../../components/math/mixture.js";
import {fillNormal, rngFromSeed} from "../../components/math/random.js";
import {alphaBarAt, makeSchedule} from "../../components/math/schedules.js";

const sets = LABELLED.map((l) => ({name: l.name, lm: l.make()}));
const probes: [number, number][] = [[0, 0], [0.9, 0.4], [-1.2, 0.3], [1.3, -1.1], [0.2, 1.5], [-2.4, -2.2]];
const alphaBars = [1, 0.97, 0.6, 0.2, 0.01];
/** Central difference of f at (x, y), step h: O(h²) error. */
const grad = (f: (x: number, y: number) => number, x: number, y: number, h = 1e-5) =>
  [(f(x + h, y) - f(x - h, y)) / (2 * h), (f(x, y + h) - f(x, y - h)) / (2 * h)];
const close = (got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string) => {
  for (let i = 0; i < want.length; ++i) assert.ok(Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i])), `${what}[${i}]: ${got[i]} vs ${want[i]}`);
};
/** log q_t(c | x) written out from log-densities: log p(c) + log q_t(x | c) − log q_t(x). */
const logPosterior = (lm: ReturnType<typeof labelledByName>, ab: number, c: number) => (x: number, y: number) =>
  Math.log(classPrior(lm)[c]) + logDensity(noiseMixture(classMixture(lm, c), ab), x, y) - logDensity(noiseMixture(lm.mixture, ab), x, y);

describe("exact conditional scores and classifier", () => {
  it("conditionalScoreAt is the gradient of log q_t(x | c) (and of log q_t(x) for c = null): central differences, every set", () => {
    for (const {name, lm} of sets) {
      for (const ab of alphaBars) {
        for (const c of [null, 0, lm.classes.length - 1]) {
          const m = noiseMixture(c === null ? lm.mixture : classMixture(lm, c), ab);
          const got = conditionalScoreAt(lm, ab, c, Float64Array.from(probes.flat()));
          probes.forEach(([x, y], i) => close(got.subarray(2 * i, 2 * i + 2), grad((u, v) => logDensity(m, u, v), x, y), 1e-5, `${name} ᾱ=${ab} c=${c} at (${x}, ${y})`));
        }
      }
    }
  });

  it("classifierGradientAt is the gradient of log q_t(c | x) written from log-densities: central differences", () => {
    for (const {name, lm} of sets) {
      for (const ab of alphaBars.slice(1)) {
        for (let c = 0; c < lm.classes.length; c += 3) {
          const got = classifierGradientAt(lm, ab, c, Float64Array.from(probes.flat()));
          probes.forEach(([x, y], i) => close(got.subarray(2 * i, 2 * i + 2), grad(logPosterior(lm, ab, c), x, y), 1e-5, `${name} ᾱ=${ab} c=${c} at (${x}, ${y})`));
        }
      }
    }
  });

  it("classPosteriorAt rows sum to 1, equal Bayes' rule from the log-densities, and tend to the prior as ᾱ → 0", () => {
    for (const {name, lm} of sets) {
      const C = lm.classes.length, prior = classPrior(lm);
      for (const ab of [...alphaBars, 1e-14]) {
        const post = classPosteriorAt(lm, ab, Float64Array.from(probes.flat()));
        probes.forEach(([x, y], i) => {
          const row = post.subarray(i * C, (i + 1) * C);
          assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-12, `${name} row ${i} sums to ${row.reduce((a, b) => a + b, 0)}`);
          // Far from the data at ᾱ = 1 the log-densities underflow to −∞; compare where they are finite.
          for (let c = 0; c < C; ++c) {
            const want = Math.exp(logPosterior(lm, ab, c)(x, y));
            if (Number.isFinite(want)) assert.ok(Math.abs(row[c] - want) < 1e-9, `${name} ᾱ=${ab} c=${c}: ${row[c]} vs ${want}`);
          }
          if (ab === 1e-14) close(row, prior, 1e-6, `${name} at ᾱ → 0`);
        });
      }
    }
  });

  it("q_t(c | x_t) matches Monte Carlo: among noised labelled draws near a point, each class's frequency is the mean exact posterior (within 4 s.e.)", () => {
    const lm = labelledByName("ring-modes"), n = 200_000, ab = 0.3, C = 8;
    const {points, labels} = sampleLabelled(lm, n, rngFromSeed(11));
    const z = fillNormal(new Float64Array(2 * n), rngFromSeed(12));
    const xt = points.map((v, i) => Math.sqrt(ab) * v + Math.sqrt(1 - ab) * z[i]);
    for (const [px, py] of [[0.5, 0.2], [-0.3, 0.6], [0, 0]]) {
      const near: number[] = [];
      for (let i = 0; i < n; ++i) if (Math.hypot(xt[2 * i] - px, xt[2 * i + 1] - py) < 0.15) near.push(i);
      const post = classPosteriorAt(lm, ab, Float64Array.from(near.flatMap((i) => [xt[2 * i], xt[2 * i + 1]])));
      for (let c = 0; c < C; ++c) {
        const freq = near.filter((i) => labels[i] === c).length / near.length;
        const mean = near.reduce((a, _, j) => a + post[j * C + c], 0) / near.length;
        const se = Math.sqrt(Math.max(mean * (1 - mean), 1e-4) / near.length);
        assert.ok(Math.abs(freq - mean) < 4 * se, `near (${px}, ${py}), class ${c}: frequency ${freq} vs posterior ${mean} (n ${near.length})`);
      }
    }
  });

  it("the exact conditional denoiser gives the class's own exact denoiser for c, and the whole mixture's for null", async () => {
    const schedule = makeSchedule("cosine", 100), xt = fillNormal(new Float64Array(200), rngFromSeed(3));
    for (const {lm} of sets) {
      const model = exactConditionalDenoiser(lm, schedule);
      for (const t of [0, 17.5, 99]) {
        close(await model.eps(xt, t, null), await exactDenoiser(lm.mixture, schedule).eps(xt, t), 1e-12, `null at t=${t}`);
        close(await model.eps(xt, t, 1), await exactDenoiser(classMixture(lm, 1), schedule).eps(xt, t), 1e-12, `c=1 at t=${t}`);
      }
      await assert.rejects(model.eps(xt, 3, lm.classes.length), /class must be an integer/);
    }
  });

  it("exactClassifier reads the schedule: its probabilities and gradient at t are classPosteriorAt and classifierGradientAt at ᾱ_t", async () => {
    const schedule = makeSchedule("cosine", 100), lm = labelledByName("moons"), xt = fillNormal(new Float64Array(40), rngFromSeed(5));
    const classifier = exactClassifier(lm, schedule), ab = alphaBarAt(schedule, 42.5);
    close(await classifier.probs(xt, 42.5), classPosteriorAt(lm, ab, xt), 0, "probs");
    close(await classifier.gradLogProb(xt, 42.5, 1), classifierGradientAt(lm, ab, 1, xt), 0, "gradient");
  });

  it("classify recovers the class of clean draws of the well-separated ring (> 99.9%) and of the moons (> 99%)", () => {
    for (const [name, floor] of [["ring-modes", 0.999], ["moons", 0.99]] as const) {
      const lm = labelledByName(name), {points, labels} = sampleLabelled(lm, 5000, rngFromSeed(6));
      const got = classify(lm, points), right = got.filter((c, i) => c === labels[i]).length / labels.length;
      assert.ok(right > floor, `${name}: ${right}`);
    }
  });
});
