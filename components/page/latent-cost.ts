// Pixel against latent at equal quality, for /latent's "Why latent" section: the build measured
// each denoiser's prompt accuracy at several training lengths (train-all.ts's curve), the reader's
// browser times one training step of each network, and a row's training time is its steps times
// those milliseconds — the latent model's including the autoencoder it needs first.
import type {CurvePoint} from "../math/image-metrics.js";
import type {QualityRow as CostRow} from "../views/latent-panels.js";

export type {CostRow};

/** Per training step and per image, ms, as the worker's cost probe measured them. */
export interface StepCost {
  autoencoder: {msPerStep: number};
  latent: {msPerStep: number; msPerImage: number};
  pixel: {msPerStep: number; msPerImage: number};
}

/** Every point of both curves as a row, latent first, each in order of training length. */
export function costRows(cost: StepCost, curve: {latent: readonly CurvePoint[]; pixel: readonly CurvePoint[]}, autoencoderSteps: number): CostRow[] {
  const row = (space: "latent" | "pixel", p: CurvePoint): CostRow => {
    const ae = space === "latent" ? autoencoderSteps : 0;
    const ms = ae * cost.autoencoder.msPerStep + p.steps * cost[space].msPerStep;
    return {space, steps: p.steps, autoencoderSteps: ae, seconds: ms / 1000, train: p.train, heldOut: p.heldOut, shape: p.shape};
  };
  return [...curve.latent.map((p) => row("latent", p)), ...curve.pixel.map((p) => row("pixel", p))];
}

/** The fully trained latent model against the cheapest pixel model at least as good, or the best pixel one. */
export interface Verdict {
  latent: CostRow;
  pixel: CostRow;
  /** Whether `pixel` reads prompts at least as well as `latent` (training prompts, mean). */
  matched: boolean;
  /** pixel.seconds ÷ latent.seconds. */
  timeRatio: number;
}

/** Compares the last latent row with the first pixel row that matches it, else with the last pixel row; null without both. */
export function equalQuality(rows: readonly CostRow[]): Verdict | null {
  const latent = rows.filter((r) => r.space === "latent").at(-1), pixels = rows.filter((r) => r.space === "pixel");
  if (!latent || !pixels.length) return null;
  const match = pixels.find((r) => r.train >= latent.train);
  const pixel = match ?? pixels.at(-1)!;
  return {latent, pixel, matched: Boolean(match), timeRatio: pixel.seconds / latent.seconds};
}
