// The /reverse chapter's learned-variance model (data/learned-variance/, trained by
// src/data/learned-variance.json.ts) is current, and its report is what its network computes.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import {existsSync, readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {varianceModelPath} from "../../components/model/chapter-variance-key.js";
import {VARIANCE_MODEL, type VarianceReport} from "../../components/model/chapter-variance.js";
import {VarianceNetwork, parseVarianceModel} from "../../components/model/learned-variance.js";
import {VARIANCE_CHART} from "../../components/page/state/reverse.js";
import {initBackend} from "../../components/model/backend.js";
import {meanLearnedVariance} from "../../components/samplers/learned-ddpm.js";
import {mixtureByName, sampleMixture} from "../../components/math/mixture.js";
import {noiseWith, posteriorBetween} from "../../components/math/forward.js";
import {fillNormal, rngFromSeed} from "../../components/math/random.js";
import {makeSchedule, timestepForSigma} from "../../components/math/schedules.js";

const path = varianceModelPath(fileURLToPath(new URL("../../", import.meta.url)), VARIANCE_CHART);

describe("the chapter's learned-variance model", () => {
  it("is cached for the current recipe and code (else `npm run build` retrains it: commit the file)", () => {
    assert.ok(existsSync(path), `missing ${path}`);
  });

  it("has a report curve for every schedule and step count of the chart, its points recomputed from the stored network", async () => {
    await initBackend("cpu");
    const {report, model} = JSON.parse(readFileSync(path, "utf8")) as {report: VarianceReport; model: unknown};
    const network = new VarianceNetwork(parseVarianceModel(JSON.stringify(model)));
    try {
      assert.equal(report.recipe.steps, VARIANCE_MODEL.steps);
      const x0 = sampleMixture(mixtureByName(VARIANCE_MODEL.mixture), 500, rngFromSeed(4242));
      for (const name of VARIANCE_CHART.schedules) {
        const schedule = makeSchedule(name, VARIANCE_CHART.T);
        for (const steps of VARIANCE_CHART.runSteps) {
          const curve = report.curves[name][String(steps)], stride = Math.round(VARIANCE_CHART.T / steps);
          assert.ok(curve.t.length >= VARIANCE_CHART.points / 2, `${name}, ${steps} steps: ${curve.t.length} points`);
          const i = curve.t.length >> 1, t = curve.t[i], abT = schedule.alphaBar[t], abS = schedule.alphaBar[t - stride];
          const xt = noiseWith(x0, fillNormal(new Float64Array(x0.length), rngFromSeed(t)), abT);
          const again = await meanLearnedVariance(network.denoiser(), timestepForSigma(network.schedule, Math.sqrt((1 - abT) / abT)), abT, abS, xt);
          assert.ok(Math.abs(again / curve.learned[i] - 1) < 1e-6, `${name}, ${steps} steps, t ${t}: ${again} against ${curve.learned[i]}`);
          assert.ok(curve.learned[i] >= posteriorBetween(abT, abS).variance && curve.learned[i] <= 1 - abT / abS, `${name}, ${steps} steps, t ${t}: outside [β̃, β]`);
        }
      }
    } finally {
      network.dispose();
    }
  });
});
