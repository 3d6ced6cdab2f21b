// Samplers raced on one x_T with a shared clock counted in denoiser evaluations (NFE), the cost
// that dominates real diffusion sampling: a Heun step costs two ticks, a DDIM step one.
import type {SamplerState, SamplerSteps} from "./index.js";
import type {Points} from "../math/types.js";
import {modeWidth} from "./quality-sweep.js";
import {yieldToPage} from "./paced.js";

/** One entrant: a name and its step generator (already started on the shared x_T). */
export interface Racer {
  name: string;
  states: SamplerSteps;
}

/** A racer's standing: its latest state, and the NFE at which it reached data (null while running). */
export interface Lane {
  name: string;
  state: SamplerState | null;
  finishedAt: number | null;
}

/** What the race looks like after a tick. */
export interface RaceSnapshot {
  /** NFE allowed so far. */
  clock: number;
  lanes: Lane[];
  /** Every lane has finished. */
  done: boolean;
}

/**
 * Runs racers under one clock. Each tick adds `nfePerTick` to the clock; then every unfinished lane
 * takes steps while it has spent fewer evaluations than the clock (so a two-evaluation Heun step
 * can overshoot the clock by one). A lane finishes on its final state (i = steps), at that state's
 * NFE. Yields a snapshot after every tick, lanes in the racers' order; lane objects are reused.
 */
export async function* race(racers: readonly Racer[], {nfePerTick = 1}: {nfePerTick?: number} = {}): AsyncGenerator<RaceSnapshot, void, void> {
  if (!(nfePerTick > 0)) throw new Error(`nfePerTick must be positive, got ${nfePerTick}`);
  const lanes: Lane[] = racers.map((r) => ({name: r.name, state: null, finishedAt: null}));
  try {
    // The start: every generator's state 0 (x_T, nothing spent).
    await Promise.all(racers.map((r, k) => pull(r, lanes[k])));
    let clock = 0;
    yield {clock, lanes, done: lanes.every(finished)};
    while (!lanes.every(finished)) {
      clock += nfePerTick;
      await Promise.all(racers.map(async (r, k) => {
        const lane = lanes[k];
        while (!finished(lane) && (lane.state?.nfe ?? 0) < clock) await pull(r, lane);
      }));
      yield {clock, lanes, done: lanes.every(finished)};
    }
  } finally {
    await Promise.all(racers.map((r) => r.states.return()));
  }
}

function finished(lane: Lane): boolean {
  return lane.finishedAt !== null;
}

async function pull(racer: Racer, lane: Lane): Promise<void> {
  const next = await racer.states.next();
  if (next.done) {
    // A generator that ends without a final state still finishes, at what it spent.
    lane.finishedAt = lane.state?.nfe ?? 0;
    return;
  }
  lane.state = next.value;
  if (next.value.i === next.value.steps) lane.finishedAt = next.value.nfe;
}

/** A finished lane's place: 1 for the fewest evaluations; lanes that tie share a place. */
export interface Placing {
  name: string;
  nfe: number;
  place: number;
}

/** Finished lanes ordered by the NFE they finished at (ties keep the racers' order and share a place). */
export function placings(lanes: readonly Lane[]): Placing[] {
  const done = lanes.filter(finished).map((l) => ({name: l.name, nfe: l.finishedAt!}));
  done.sort((a, b) => a.nfe - b.nfe);
  return done.map((l) => ({...l, place: 1 + done.filter((o) => o.nfe < l.nfe).length}));
}

/** How close a lane's final samples came to the data. */
export interface LaneQuality {
  /** The score the caller gives (e.g. SW₂ to a reference sample of the data); NaN if not finite. */
  sw: number;
  /** How wide its modes came out (see modeWidth). */
  width: number;
}

/**
 * Scores each lane's final samples with `score` and measures their mode width around `means`, by lane
 * name. One lane at a time, yielding to the page between them (an SW₂ of 1,000 points is ~15 ms).
 */
export async function scoreLanes(lanes: readonly Lane[], score: (x: Points) => number, means: readonly (readonly [number, number])[]): Promise<Record<string, LaneQuality>> {
  const out: Record<string, LaneQuality> = {};
  for (const lane of lanes) {
    if (!lane.state) continue;
    out[lane.name] = {sw: score(lane.state.x), width: modeWidth(lane.state.x, means)};
    await yieldToPage();
  }
  return out;
}
