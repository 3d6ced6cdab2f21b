// One chain of the Score chapter's Langevin demo: its particles over the target density, and a
// readout of where they are (the share left of x = 0, which the two-mode mixture puts at 80%).
import {Plane, type DensityLayer} from "./plane.js";
import {mixtureByName, type MixtureName} from "../math/mixture.js";
import {densityGrid} from "../math/point-grid.js";
import type {Points} from "../math/types.js";
import type {StableDelta} from "../samplers/langevin-demo.js";

export interface LangevinPanel extends HTMLDivElement {
  /** Starts a run on the mixture `name`: its density behind the particles, and a fresh readout. */
  reset(name: MixtureName): void;
  /** Draws the particles x ([n, 2]) after `i` updates and says where they are. */
  show(state: {x: Points; i: number}): void;
}

/** Particles farther than this from the origin have left the plot for good: the chain diverged. */
const FAR = 1e3;

/** Fraction of the points x ([n, 2]) left of x = 0. */
export function leftShare(x: Points): number {
  let k = 0;
  for (let i = 0; i < x.length; i += 2) if (x[i] < 0) ++k;
  return k / (x.length / 2);
}

/** A Plane with the chain's readout under it (a status, read out as it changes). */
export function LangevinPanel({width, color, label}: {width: number; color: string; label: string}): LangevinPanel {
  const root = document.createElement("div") as unknown as LangevinPanel;
  const plane = Plane({width, color, label});
  const readout = Object.assign(document.createElement("p"), {textContent: "Press Both chains to run.", role: "status"});
  let truth: DensityLayer = {density: new Float64Array(1), rows: 1, cols: 1}, note = "", diverged = false;
  root.reset = (name) => {
    truth = {density: densityGrid(mixtureByName(name), 96, 3), rows: 96, cols: 96};
    note = name === "two-modes" ? " (the data has 80%)" : "";
    diverged = false;
  };
  root.show = ({x, i}) => {
    plane.draw([truth, {points: x}]);
    diverged ||= x.some((v) => !(Math.abs(v) < FAR));
    readout.textContent = `after ${i} steps: ${(100 * leftShare(x)).toFixed(0)}% of particles left of x = 0${note}` +
      (diverged ? "; the chain diverged, its steps too large" : "");
  };
  root.append(plane, readout);
  return root;
}

/** log₁₀ of a step size to two decimals, with a true minus sign: 0.0396 → "−1.40". */
export function formatLog(delta: number): string {
  return Math.log10(delta).toFixed(2).replace("-", "−");
}

/**
 * A warning when δ is past a chain's stable step size (samplers/langevin-demo.ts stableDelta): an
 * alert paragraph, or an empty span when both chains are stable.
 */
export function StabilityWarning(delta: number, {plain, annealed, firstStep}: StableDelta): HTMLElement {
  if (delta < annealed) return document.createElement("span");
  const limit = (d: number) => `log₁₀ δ < ${formatLog(d)}`;
  const annealedPart = `the annealed chain diverges: at its noisiest level each step is ${firstStep.toFixed(0)} × δ, more than four times the variance of q_t there (it is stable for ${limit(annealed)})`;
  return Object.assign(document.createElement("p"), {
    className: "langevin-warning",
    role: "alert",
    textContent: delta < plain ? `⚠ At this step size ${annealedPart}.`
      : `⚠ At this step size ${annealedPart}, and the plain chain's steps exceed four times the variance of its modes, so its particles scatter (stable for ${limit(plain)}).`,
  });
}
