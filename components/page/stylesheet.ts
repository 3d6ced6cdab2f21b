/** Adds a <style> with this CSS to the document once (keyed by id); later calls are no-ops. */
export function useStyle(id: string, css: string): void {
  if (document.getElementById(id)) return;
  const style = document.createElement("style");
  style.id = id;
  style.textContent = css;
  document.head.append(style);
}

/** Adds a <link rel="stylesheet"> to the document once (keyed by id). */
export function useStylesheet(id: string, href: string): void {
  if (document.getElementById(id)) return;
  const link = document.createElement("link");
  link.id = id;
  link.rel = "stylesheet";
  link.href = href;
  document.head.append(link);
}
