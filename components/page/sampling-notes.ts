// Prose of the Sampling chapter that depends on what the page holds: which network the reader has,
// and how the current run went.
import {html} from "htl";
import {tex} from "./tex.js";
import {defaultSigmaMax} from "../samplers/index.js";
import {countOutside} from "../samplers/sampling-plan.js";
import type {Schedule} from "../math/schedules.js";
import type {Points} from "../math/types.js";

/**
 * Why an ε-predicting network is fragile where DDIM starts: at t = T − 1 the schedule leaves a small
 * √ᾱ_t, and x̂0 = (x_t − √(1−ᾱ_t)·ε̂)/√ᾱ_t divides by it; the σ-grid samplers start at σ_max
 * (defaultSigmaMax), where √ᾱ = 1/√(1 + σ²) is larger. Told for the network the reader has:
 * `prediction` "eps" explains its dashed curves; "x0" or "v" explains why they follow the exact ones.
 */
export function FragilityNote(schedule: Schedule, prediction: string, whose: string): HTMLElement {
  const firstT = schedule.T - 1;
  const firstRoot = Math.sqrt(schedule.alphaBar[firstT]);
  const gridStart = defaultSigmaMax(schedule);
  const gridRoot = 1 / Math.sqrt(1 + gridStart ** 2);
  const division = tex`\hat x_0 = (x_t - \sqrt{1-\bar\alpha_t}\,\hat\varepsilon)/\sqrt{\bar\alpha_t}`;
  const start = html`${tex`t = T-1 =`} ${firstT}`, root = html`${tex`\sqrt{\bar\alpha_t} \approx`} ${firstRoot.toPrecision(2)}`;
  if (prediction === "eps") {
    return html`<p>The trained network (${whose}) predicts the noise ${tex`\varepsilon`}. DDIM's first step is at
      ${start}, where its schedule leaves ${root}, and ${division} divides by that: a small error in ${tex`\hat\varepsilon`}
      becomes a large one in ${tex`\hat x_0`}, and DDIM, deterministic, can carry it to the end — if its dashed curve
      stays high, that is why. DDPM takes the same first step, but the noise it adds afterwards swamps the mistake.
      Euler, the same update as DDIM, starts lower, at ${tex`\sigma =`} ${+gridStart.toPrecision(3)}
      (${tex`\sqrt{\bar\alpha} \approx`} ${gridRoot.toPrecision(2)}), where the division costs
      ${Math.round(gridRoot / firstRoot)} times less. To watch noise repair DDIM, pick it and the trained network
      at the top of the page and raise η.</p>`;
  }
  const target = prediction === "v"
    ? html`the velocity ${tex`v = \sqrt{\bar\alpha_t}\,\varepsilon - \sqrt{1-\bar\alpha_t}\,x_0`} (Salimans &amp; Ho 2022) and
      gets ${tex`\hat x_0 = \sqrt{\bar\alpha_t}\,x_t - \sqrt{1-\bar\alpha_t}\,\hat v`}`
    : html`${tex`\hat x_0`} directly`;
  return html`<p>The trained network (${whose}) predicts ${target}, with no division by ${tex`\sqrt{\bar\alpha_t}`}, so its
    dashed curves follow the exact ones closely. A network that predicts the noise ${tex`\varepsilon`} is fragile
    exactly where DDIM starts: at ${start} this schedule leaves ${root}, and ${division} turns a small error in
    ${tex`\hat\varepsilon`} into a large one, which a deterministic sampler can carry to the end while DDPM's added
    noise washes it out. To see it, train a model that predicts noise ε on <a href="./training">Training live</a>,
    keep it for the other chapters, and come back.</p>`;
}

/**
 * A warning when a run has gone astray: more than a tenth of its n points x (or of their predictions
 * x̂0) outside the plotted square [−3, 3]²; null otherwise.
 */
export function astrayNote(x: Points, x0: Points | null, n: number): string | null {
  const count = (k: number) => `${k.toLocaleString("en-US")} of ${n.toLocaleString("en-US")}`;
  const lost = countOutside(x, 3), lostX0 = x0 ? countOutside(x0, 3) : 0;
  if (lost > n / 10) return `${count(lost)} points lie outside the plotted square: this run has gone astray (see “Stochastic against deterministic” below).`;
  if (lostX0 > n / 10) return `${count(lostX0)} predictions x̂0 lie outside the plotted square: at this noise level the denoiser's guess is far off (see “Stochastic against deterministic” below).`;
  return null;
}
