// The latent-diffusion chapter's small panels: the tokens of a prompt, the training buttons and
// status line, and the tables of prompt accuracy, of pixel-versus-latent cost per step and of
// quality against training time.
import {html} from "htl";
import {ATTRIBUTES} from "../math/toy-images.js";
import type {TokenizeResult} from "../math/tokenizer.js";
import type {LatentProgress} from "../worker/latent-protocol.js";

/** The prompt's tokens as chips (start token first), or the tokenizer's message when it refused. */
export function TokenChips(result: TokenizeResult, ids = true): HTMLElement {
  if (!result.ok) return html`<p class="warning" role="alert">${result.message}</p>`;
  const chip = (word: string, id: number) => html`<span class="token-chip"><b>${word}</b>${ids ? html`<small> ${id}</small>` : ""}</span>`;
  const words = result.tokens.words;
  return html`<p class="token-chips" aria-label="Tokens of the prompt">${chip("⟨start⟩", result.tokens.ids[0])}${words.map((w, i) => chip(w, result.tokens.ids[1 + i]))}</p>`;
}

const pct = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? `${Math.round(100 * v)}\u00a0%` : "–");
const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(0));

/** One row of prompt accuracy: per attribute, their mean and all four at once. */
export interface AccuracyRow {
  label: string;
  accuracy: Record<string, number>;
}

/** A table of prompt accuracy, one row per (model, guidance, split). */
export function AccuracyTable(rows: readonly AccuracyRow[], caption: string): HTMLElement {
  return html`<table class="latent-table">
    <caption>${caption}</caption>
    <thead><tr><th scope="col">model · prompts</th>${ATTRIBUTES.map((a) => html`<th scope="col">${a.name}</th>`)}<th scope="col">mean</th><th scope="col">all four</th></tr></thead>
    <tbody>${rows.map((r) => html`<tr><th scope="row">${r.label}</th>${ATTRIBUTES.map((a) => html`<td>${pct(r.accuracy[a.name])}</td>`)}<td><b>${pct(r.accuracy.mean)}</b></td><td>${pct(r.accuracy.all)}</td></tr>`)}</tbody>
  </table>`;
}

/** What the cost probe measured for one space. */
export interface CostRow {
  msPerStep: number;
  msPerImage: number;
  params: number;
  /** Values per image the model denoises. */
  dims: number;
}

/** Pixel against latent, per step: values per image, parameters, ms per training step and per image. */
export function CostTable(latent: CostRow, pixel: CostRow, caption: string): HTMLElement {
  const row = (name: string, r: CostRow) => html`<tr><th scope="row">${name}</th><td>${r.dims}</td><td>${r.params.toLocaleString("en-US")}</td><td>${ms(r.msPerStep)}</td><td>${ms(r.msPerImage)}</td></tr>`;
  return html`<table class="latent-table">
    <caption>${caption}</caption>
    <thead><tr><th scope="col">diffusion in</th><th scope="col">values per image</th><th scope="col">parameters</th><th scope="col">ms per training step</th><th scope="col">ms per image</th></tr></thead>
    <tbody>${row("latent space", latent)}${row("pixel space", pixel)}
    <tr><th scope="row">pixel ÷ latent</th><td>${(pixel.dims / latent.dims).toFixed(0)}×</td><td>${(pixel.params / latent.params).toFixed(1)}×</td><td><b>${(pixel.msPerStep / latent.msPerStep).toFixed(1)}×</b></td><td><b>${(pixel.msPerImage / latent.msPerImage).toFixed(1)}×</b></td></tr></tbody>
  </table>`;
}

/** One trained model in the quality-against-training-time table. */
export interface QualityRow {
  space: "latent" | "pixel";
  /** Denoiser steps, and autoencoder steps before them (0 for pixel space). */
  steps: number;
  autoencoderSteps: number;
  /** Training time: Σ steps × ms per step, seconds. */
  seconds: number;
  /** Prompt accuracy (mean over attributes) on training and held-out combinations; the shape word alone. */
  train: number;
  heldOut: number;
  shape: number;
}

/** Quality against training time: one row per model and training length. */
export function QualityCostTable(rows: readonly QualityRow[], caption: string): HTMLElement {
  const steps = (r: QualityRow) => r.autoencoderSteps ? `${r.autoencoderSteps.toLocaleString("en-US")} + ${r.steps.toLocaleString("en-US")}` : r.steps.toLocaleString("en-US");
  return html`<table class="latent-table">
    <caption>${caption}</caption>
    <thead><tr><th scope="col">diffusion in</th><th scope="col">training steps</th><th scope="col">training time here, s</th><th scope="col">prompt accuracy</th><th scope="col">held-out</th><th scope="col">shape</th></tr></thead>
    <tbody>${rows.map((r) => html`<tr><th scope="row">${r.space} space</th><td>${steps(r)}</td><td>${r.seconds.toFixed(0)}</td><td><b>${pct(r.train)}</b></td><td>${pct(r.heldOut)}</td><td>${pct(r.shape)}</td></tr>`)}</tbody>
  </table>`;
}

const STAGE_NAMES: Record<LatentProgress["stage"], string> = {
  shipped: "the site's models",
  autoencoder: "training the autoencoder",
  latent: "training the latent denoiser",
  pixel: "training the pixel denoiser",
  done: "your models",
};

/** One line about the models in use or the run in progress. */
export function latentStatus(p: LatentProgress | null, backend: string): string {
  if (!p) return `Starting on ${backend}…`;
  const parts = [STAGE_NAMES[p.stage]];
  if (p.stage !== "shipped" && p.stage !== "done") parts.push(`step ${p.step} of ${p.stageSteps}`, `loss ${Number.isFinite(p.loss) ? p.loss.toFixed(4) : "–"}`);
  if (p.trainMs > 0) parts.push(`${(p.trainMs / 1000).toFixed(1)} s of training`);
  if (p.running) parts.push(`${p.stepsPerSecond.toFixed(0)} steps/s`);
  const last = p.accuracy.at(-1);
  if (last) parts.push(`prompt accuracy ${pct(last.train)} (held-out ${pct(last.heldOut)})`);
  parts.push(`backend ${p.backend}`, `tensors ${p.numTensors}`);
  if (p.stage !== "shipped" && p.stage !== "done" && !p.running) parts.push("paused");
  return parts.join(" · ");
}

/** A button with an accessible name equal to its label. */
export function Button(label: string, onClick: () => void, title = label): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.title = title;
  b.addEventListener("click", onClick);
  return b;
}
