// Deferring work until the reader can see it: heavy work for an element below the fold waits until
// the element scrolls into view.

/**
 * Resolves to true once `element` is at least partly on screen (or `margin` px from it), or to false
 * when `invalidation` resolves first; stops watching either way. It must settle on invalidation:
 * Observable's runtime re-runs a cell only after its previous run has settled, so a cell awaiting a
 * promise that never settles could never run again. Without IntersectionObserver: true at once.
 */
export function whenVisible(element: Element, {margin = 200, invalidation}: {margin?: number; invalidation?: Promise<unknown>} = {}): Promise<boolean> {
  if (typeof IntersectionObserver === "undefined") return Promise.resolve(true);
  return new Promise((resolve) => {
    const observer = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      observer.disconnect();
      resolve(true);
    }, {rootMargin: `${margin}px`});
    observer.observe(element);
    invalidation?.then(() => {
      observer.disconnect();
      resolve(false);
    });
  });
}

/** True when the reader asked the system for less motion: animations should jump to their end. */
export function prefersReducedMotion(): boolean {
  return typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches;
}
