// The forward-process page while a reader drags t: how long each animation frame takes with 5,000
// and 20,000 points, and how much of it is the page's own script (noising, the Markov chain, the
// canvas splat). Driven in the page, one slider value per animation frame, as a drag would.
import type {Page} from "playwright-core";
import {visit} from "../test/browser/harness.js";
import type {BenchContext, Row, Section} from "./section.js";
import {countAbove, round, summarise} from "./stats.js";

const T = 1000;
/** Frames per direction: a 0→T drag over 2.5 s at 60 Hz, then back (~7 steps of t per frame). */
const FRAMES = 150;
/** Unmeasured frames first, so the JIT and the chain's checkpoints are warm as after a reader's first drag. */
const WARMUP = 30;
/** A 60 Hz frame. */
const VSYNC = 1000 / 60;

/** Slider values for a drag 0 → T → 0 over 2·frames frames (T appears once, at the turn). */
function sweep(frames: number): number[] {
  const up = Array.from({length: frames + 1}, (_, i) => Math.round((T * i) / frames));
  return [...up, ...up.slice(0, -1).reverse()];
}

interface Trace {
  /** Per dispatched value: ms from its frame's start to the next frame's start (performance.now()). */
  intervals: number[];
  /** The same gaps from the frames' requestAnimationFrame timestamps, which sit on the 60 Hz vsync grid. */
  vsync: number[];
  /** Per dispatched value: ms of script in its frame (the dispatch, then the page's recompute). */
  work: number[];
  /** Per dispatched value: the t the closed-form canvas described at the end of that frame's script. */
  shown: number[];
}

/**
 * In the page: each animation frame sets the slider to the next value and dispatches "input".
 * Frame time is the gap between consecutive frames' performance.now(). Script time is measured from
 * the start of this frame's callback (registered first, so it runs first) to a sentinel callback
 * registered from a message task after the frame, so it runs after Framework's runtime callback
 * (the runtime recomputes dependent cells in its own requestAnimationFrame callback and their
 * microtasks). Style, layout, paint and raster are in the frame time, not in the script time.
 */
function drive(page: Page, values: number[], timeout: number): Promise<Trace> {
  return page.evaluate(([values, timeout]) => new Promise<Trace>((resolve, reject) => {
    const input = document.querySelector<HTMLInputElement>("form.scrubber input[type=range]");
    // The closed-form cloud, found by its text alternative ("5000 points of … at t = 17 …"), which
    // says what the reader sees whichever component draws it.
    const canvas = [...document.querySelectorAll("canvas")].find((c) => /^\d+ points\b.*\bt = \d+/.test(c.getAttribute("aria-label") ?? ""));
    if (!input || !canvas) return reject(new Error("no t slider (form.scrubber input[type=range]) or no canvas labelled \"<n> points … t = <t>\" on the page"));
    const trace: Trace = {intervals: [], vsync: [], work: [], shown: []};
    const started = performance.now();
    // k: the next value to dispatch; current: the value dispatched in this frame (−1 after the last).
    let frameStart = 0, frameTime = 0, k = 0, current = -1;
    const sentinel = () => {
      if (current < 0) return;
      trace.work[current] = performance.now() - frameStart;
      const match = /\bt = (\d+)/.exec(canvas.getAttribute("aria-label") ?? "");
      trace.shown[current] = match ? Number(match[1]) : NaN;
    };
    // A sentinel registered now runs in the next frame after every callback registered before it.
    const sentinelNextFrame = () => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => requestAnimationFrame(sentinel);
      channel.port2.postMessage(null);
    };
    const frame = (time: number) => {
      const now = performance.now();
      if (k > 0) {
        trace.intervals.push(now - frameStart);
        trace.vsync.push(time - frameTime);
      }
      frameStart = now;
      frameTime = time;
      if (k === values.length) {
        current = -1;
        return resolve(trace);
      }
      if (now - started > timeout) return reject(new Error(`sweep still running after ${timeout} ms (frame ${k} of ${values.length})`));
      current = k;
      input.value = String(values[k++]);
      input.dispatchEvent(new Event("input", {bubbles: true}));
      requestAnimationFrame(frame);
      sentinelNextFrame();
    };
    requestAnimationFrame(frame);
    requestAnimationFrame(sentinel);
  }), [values, timeout] as const);
}

/** How many frames the picture trailed the slider: frame k showed the value dispatched lag frames earlier. */
function lags(values: number[], shown: number[]): number[] {
  return shown.map((t, k) => {
    for (let j = k; j >= 0; --j) if (values[j] === t) return k - j;
    return NaN;
  });
}

function summaryRow(points: number, label: string, trace: Trace, lag: number[]): Row {
  const frame = summarise(trace.intervals), work = summarise(trace.work);
  return {
    points, sweep: label, frames: trace.intervals.length,
    "median ms": round(frame.median), "p95 ms": round(frame.p95), "max ms": round(frame.max),
    // Counted on the vsync grid: a frame over 16.7 ms missed at least one vsync, over 33 ms at least
    // two. performance.now() gaps of a frame on time scatter ±2 ms around 16.7 and would count as misses.
    ">16.7 ms": countAbove(trace.vsync, 1.5 * VSYNC), ">33 ms": countAbove(trace.vsync, 2.5 * VSYNC),
    fps: round((1000 * trace.intervals.length) / trace.intervals.reduce((a, b) => a + b, 0)),
    "script median ms": round(work.median), "script p95 ms": round(work.p95),
    "lag p95 frames": round(summarise(lag).p95),
  };
}

const slice = (trace: Trace, from: number, to: number): Trace => ({
  intervals: trace.intervals.slice(from, to), vsync: trace.vsync.slice(from, to), work: trace.work.slice(from, to), shown: trace.shown.slice(from, to),
});

async function choosePoints(page: Page, points: number): Promise<void> {
  await page.getByRole("radio", {name: points.toLocaleString("en-US"), exact: true}).check();
  // The canvases are rebuilt for the new cloud; their description starts with the point count.
  await page.waitForFunction((n) => [...document.querySelectorAll("canvas")].some((c) => c.getAttribute("aria-label")?.startsWith(`${n} points`)), points, {timeout: 20_000});
}

export const forward: Section = {
  name: "forward",
  about: `/forward: t dragged 0→${T}→0, one value per animation frame (${2 * FRAMES} frames after ${2 * WARMUP} warm-up); frame time = gap between rAF callbacks (performance.now()), >16.7/>33 ms = frames that missed 1/2+ vsyncs, fps = frames per second shown, script = the page's JS in each frame, lag = frames the canvas trailed the slider`,
  async run({browser, origin}: BenchContext): Promise<Row[]> {
    const v = await visit(browser, origin, "/forward");
    try {
      // tsx compiles named functions into __name(fn, "fn") calls, which page.evaluate carries into the page.
      await v.page.evaluate("globalThis.__name = (f) => f");
      const opened = await v.problems();
      if (opened.length) throw new Error(`/forward opened with problems:\n  ${opened.join("\n  ")}`);
      const rows: Row[] = [];
      for (const points of [5000, 20000]) {
        await choosePoints(v.page, points);
        await drive(v.page, sweep(WARMUP), 30_000);
        const values = sweep(FRAMES);
        const trace = await drive(v.page, values, 45_000);
        const lag = lags(values, trace.shown);
        const turn = FRAMES + 1;
        rows.push(
          summaryRow(points, `0→${T}`, slice(trace, 0, turn), lag.slice(0, turn)),
          summaryRow(points, `${T}→0`, slice(trace, turn, values.length), lag.slice(turn)),
        );
      }
      const problems = await v.problems();
      if (problems.length) throw new Error(`/forward had problems while scrubbing:\n  ${problems.join("\n  ")}`);
      return rows;
    } finally {
      await v.close();
    }
  },
};
