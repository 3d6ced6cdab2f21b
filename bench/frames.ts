// Frame timing in a bench page: what a reader feels as smoothness while a page works.
import type {Page} from "playwright-core";

/** One frame at 60 Hz, ms. */
export const VSYNC = 1000 / 60;

export interface Frames {
  /** Gaps between consecutive requestAnimationFrame callbacks, by performance.now() in each (a callback that runs late on a busy core counts). */
  intervals: number[];
  /** The same gaps on the frames' own timestamps (the 60 Hz vsync grid: a gap over 1.5 frames is a frame the page missed). */
  vsync: number[];
}

/** Frame gaps for `ms` milliseconds, both ways (see Frames). */
export function recordFrames(page: Page, ms: number): Promise<Frames> {
  return page.evaluate((ms) => new Promise<Frames>((resolve) => {
    const frames: Frames = {intervals: [], vsync: []};
    let lastNow = -1, lastTime = -1;
    const started = performance.now();
    const frame = (time: number) => {
      const now = performance.now();
      if (lastNow >= 0) { frames.intervals.push(now - lastNow); frames.vsync.push(time - lastTime); }
      lastNow = now;
      lastTime = time;
      if (now - started >= ms) resolve(frames);
      else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }), ms);
}
