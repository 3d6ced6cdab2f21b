// Links between chapters that follow the site as it grows: a chapter whose page is written is a link,
// one that is not yet is named as such, so no page links to a page that does not exist.
import {CHAPTERS, type Chapter} from "./chapters.js";

/** A chapter as a page may cite it: its title, and its relative href or null while it is unwritten. */
export interface ChapterRef {
  path: string;
  title: string;
  href: string | null;
}

/**
 * The chapter at `path` (a route in CHAPTERS, e.g. "/score"), linked as "./score" when it is among
 * `written` (data/chapters.json: the chapters whose page exists). Throws for a path CHAPTERS lacks,
 * so a typo fails the page rather than printing a dead name.
 */
export function chapterRef(written: readonly Pick<Chapter, "path">[], path: string): ChapterRef {
  const chapter = CHAPTERS.find((c) => c.path === path);
  if (!chapter) throw new RangeError(`chapterRef: no chapter at ${path}; known: ${CHAPTERS.map((c) => c.path).join(", ")}`);
  const href = written.some((c) => c.path === path) ? (path === "/" ? "./" : `.${path}`) : null;
  return {path, title: chapter.title, href};
}

/** The chapters of CHAPTERS not yet written, in reading order. */
export function unwrittenChapters(written: readonly Pick<Chapter, "path">[]): Chapter[] {
  return CHAPTERS.filter((c) => !written.some((w) => w.path === c.path));
}

/**
 * A written chapter as a link (`text` or its title), an unwritten one as its title followed by
 * "(chapter not written yet)": pages say plainly where no demo exists.
 */
export function ChapterLink(written: readonly Pick<Chapter, "path">[], path: string, text?: string): HTMLElement {
  const ref = chapterRef(written, path);
  if (ref.href) {
    const a = document.createElement("a");
    a.href = ref.href;
    a.textContent = text ?? ref.title;
    return a;
  }
  const span = document.createElement("span");
  span.className = "unwritten";
  span.textContent = `${text ?? ref.title} (chapter not written yet)`;
  return span;
}
