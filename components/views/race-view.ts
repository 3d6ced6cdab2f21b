// The race as small multiples: one small plane per sampler with its NFE counter and, once it reaches
// data, a finish marker with its place and quality.
import {Plane} from "./plane.js";
import type {LaneQuality, Placing, RaceSnapshot} from "../samplers/race.js";
import type {Points} from "../math/types.js";

/** One lane's fixed facts. */
export interface LaneSpec {
  name: string;
  label: string;
  color: string;
  steps: number;
  /** NFE the lane will have spent when it finishes. */
  nfe: number;
}

export interface RaceBoard extends HTMLDivElement {
  /** Draws every lane's current points and NFE; marks lanes that have finished. */
  update(snapshot: RaceSnapshot): void;
  /** Writes each finished lane's place, and a note on its quality (by lane name), on its marker. */
  result(placings: readonly Placing[], notes: Readonly<Record<string, string>>): void;
}

const GAP = 12;
const ordinal = (k: number) => `${k}${k === 1 ? "st" : k === 2 ? "nd" : k === 3 ? "rd" : "th"}`;

/**
 * Lanes in a wrapping grid of square planes, each ≥ 130 px, in `width` (the card's inner width); rows
 * are balanced (five lanes in four columns' room go 3 + 2, not 4 + 1). `background` is drawn under
 * every lane's points (e.g. the data).
 */
export function RaceBoard(lanes: readonly LaneSpec[], {width, background = null}: {width: number; background?: Points | null}): RaceBoard {
  const fit = Math.max(1, Math.min(lanes.length, Math.floor((width + GAP) / (130 + GAP))));
  const columns = Math.ceil(lanes.length / Math.ceil(lanes.length / fit));
  const side = Math.floor((width - GAP * (columns - 1)) / columns);
  const root = document.createElement("div") as unknown as RaceBoard;
  root.className = "race-board";
  root.style.cssText = `display:grid;grid-template-columns:repeat(${columns},${side}px);gap:${GAP}px;`;
  const views = lanes.map((spec) => {
    const lane = document.createElement("figure");
    lane.className = "race-lane";
    lane.dataset.sampler = spec.name;
    lane.dataset.expected = String(spec.nfe);
    lane.style.cssText = "margin:0;font:12px var(--sans-serif);";
    const title = document.createElement("figcaption");
    title.style.cssText = `border-top:3px solid ${spec.color};padding-top:2px;font-weight:600;color:var(--theme-foreground);`;
    title.textContent = `${spec.label} · ${spec.steps} steps`;
    const plane = Plane({width: side, color: spec.color, label: `${spec.label}: samples of the race`});
    const counter = document.createElement("output");
    counter.className = "race-nfe";
    counter.style.cssText = "display:block;font-variant-numeric:tabular-nums;";
    const marker = document.createElement("div");
    marker.className = "race-finish";
    marker.style.cssText = "min-height:1.4em;font-variant-numeric:tabular-nums;";
    lane.append(title, plane, counter, marker);
    root.append(lane);
    return {spec, lane, plane, counter, marker};
  });

  const show = (v: (typeof views)[number], points: Points | null, nfe: number, finished: boolean) => {
    v.plane.draw(background ? [{points: background, color: "#bbb"}, ...(points ? [{points}] : [])] : points ? [{points}] : []);
    v.counter.value = `NFE ${nfe} / ${v.spec.nfe}`;
    v.lane.dataset.nfe = String(nfe);
    v.lane.dataset.finished = String(finished);
    if (finished && !v.marker.textContent) v.marker.textContent = `finished at NFE ${nfe}`;
    if (!finished) v.marker.textContent = "";
    v.marker.style.borderLeft = finished ? `4px solid ${v.spec.color}` : "none";
    v.marker.style.paddingLeft = finished ? "4px" : "0";
    v.marker.style.fontWeight = finished ? "600" : "normal";
  };
  views.forEach((v) => show(v, null, 0, false));

  root.update = ({lanes: now}) => {
    now.forEach((lane, k) => {
      const v = views[k];
      show(v, lane.state?.x ?? null, lane.state?.nfe ?? 0, lane.finishedAt !== null);
      v.plane.describe(`${v.spec.label}: ${lane.finishedAt !== null ? `finished after ${lane.finishedAt} evaluations` : `${lane.state?.nfe ?? 0} of ${v.spec.nfe} evaluations spent`}`);
    });
  };
  root.result = (placings, notes) => {
    for (const p of placings) {
      const v = views.find((w) => w.spec.name === p.name);
      if (!v) continue;
      v.marker.textContent = `${ordinal(p.place)}, finished at NFE ${p.nfe}`;
      if (notes[p.name]) {
        const note = document.createElement("span");
        note.style.cssText = "display:block;font-weight:normal;";
        note.textContent = notes[p.name];
        v.marker.append(note);
      }
      v.lane.dataset.place = String(p.place);
    }
  };
  return root;
}

const fixed3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : "–");

/** The note under each finished lane's marker, by lane name: "SW₂ 0.091 · modes 0.105 wide". */
export function qualityNotes(quality: Readonly<Record<string, LaneQuality>>): Record<string, string> {
  return Object.fromEntries(Object.entries(quality).map(([name, q]) => [name, `SW₂ ${fixed3(q.sw)} · modes ${fixed3(q.width)} wide`]));
}

/**
 * The race in a few sentences: who reached the data first (ties named together) and who last, which
 * lane's samples came closest to the data, and the two yardsticks of the data itself (`floor`: what
 * two fresh samples of it score against each other; `dataWidth`: how wide its own modes are).
 * `order` is non-empty (placings of a finished race).
 */
export function summarizeRace(order: readonly Placing[], quality: Readonly<Record<string, LaneQuality>>, {label, floor, dataWidth}: {label: (name: string) => string; floor: number; dataWidth: number}): string {
  const sw = (name: string) => quality[name]?.sw ?? NaN;
  const first = order[0], last = order[order.length - 1];
  const best = order.filter((p) => Number.isFinite(sw(p.name))).sort((a, b) => sw(a.name) - sw(b.name))[0] ?? first;
  return `${order.filter((p) => p.place === 1).map((p) => label(p.name)).join(" and ")} reached the data first, after ${first.nfe} evaluations ` +
    `(SW₂ ${fixed3(sw(first.name))}); last was ${label(last.name)} at ${last.nfe}. ` +
    `Closest to the data: ${label(best.name)} (${fixed3(sw(best.name))}). Two fresh samples of the data itself differ by ${floor.toFixed(3)}, ` +
    `and the data's modes are ${dataWidth.toFixed(3)} wide.`;
}
