// A static server for the built site (dist/), as a reader's host would serve it: clean URLs
// (/forward → forward.html), correct MIME types, and cross-origin isolation headers so the
// threaded wasm backend can be used where the host allows it.
import {createServer, type Server} from "node:http";
import {readFile, stat} from "node:fs/promises";
import {extname, join, normalize} from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css",
  ".json": "application/json", ".wasm": "application/wasm", ".woff2": "font/woff2",
  ".png": "image/png", ".svg": "image/svg+xml", ".csv": "text/csv",
};

async function resolveFile(root: string, pathname: string): Promise<string | null> {
  const clean = normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, "");
  const candidates = clean.endsWith("/") ? [join(clean, "index.html")] : [clean, `${clean}.html`];
  for (const candidate of candidates) {
    const path = join(root, candidate);
    if (!path.startsWith(root)) return null;
    try { if ((await stat(path)).isFile()) return path; } catch { /* try the next candidate */ }
  }
  return null;
}

/** Serves `root` on 127.0.0.1 at a free port; resolves with the server and its origin. */
export async function serve(root = "dist"): Promise<{server: Server; origin: string}> {
  const absolute = join(process.cwd(), root);
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const path = await resolveFile(absolute, url.pathname);
    if (!path) { response.writeHead(404).end("not found"); return; }
    response.writeHead(200, {
      "content-type": TYPES[extname(path)] ?? "application/octet-stream",
      "cross-origin-opener-policy": "same-origin",
      "cross-origin-embedder-policy": "require-corp",
    });
    response.end(await readFile(path));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("server has no port");
  return {server, origin: `http://127.0.0.1:${address.port}`};
}
