// What /training's samples panel shows of the model it trains: an unconditional model's samples, or
// a conditional model's samples asked for each class in turn, in that class's colour.
import type {LabelledMixture} from "../math/labelled.js";
import type {TrainingSession} from "../worker/training-session.js";
import {classColor} from "../views/class-colors.js";
import type {PointsLayer} from "../views/plane.js";

/** The part of a TrainingSession this needs. */
export type Sampler = Pick<TrainingSession, "sample" | "classSamples">;

/**
 * Plane layers of about `n` samples by DDIM with `steps` steps: without `classes`, one layer of the
 * unconditional model's samples (Karras grid); with them, ⌈n/C⌉ samples per class c of the plain
 * conditional model ε_θ(x_t, t, c) (default grid, one worker run for all classes), each class in its
 * own colour and from its own seed, so a reader sees whether each class lands on its own mode.
 */
export async function modelSampleLayers(session: Sampler, n: number, steps: number, seed: number, classes?: LabelledMixture): Promise<PointsLayer[]> {
  if (!classes) return [{points: await session.sample(n, steps, seed)}];
  const per = Math.ceil(n / classes.classes.length);
  const all = await session.classSamples(per, steps, seed);
  const size = all.length / classes.classes.length;
  return classes.classes.map((k, c) => ({points: all.slice(c * size, (c + 1) * size), color: classColor(k.color)}));
}
