import fs from "node:fs";
import path from "node:path";
import express, { type Router } from "express";

/**
 * The operator console (console/, React + Vite) served at /app, on the same origin as /graphql so
 * it needs no CORS and no configuration. Vite names every asset by its content hash, so assets are
 * cached for a year; index.html is revalidated on every load so a new build is picked up at once.
 * Every other path under /app is the single-page app's own route and answers with index.html.
 */
const HEADERS = {
  // the console talks to its own origin only (HTTP and the graphql-ws WebSocket); React sets inline styles
  "Content-Security-Policy":
    "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
};

/** console/dist of the repository this file belongs to (src/server in development, dist/src/server when built) */
export function consoleDistDir(from = __dirname): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "console", "vite.config.ts"))) return path.join(dir, "console", "dist");
    if (path.dirname(dir) === dir) return undefined;
  }
}

export function consoleRouter(dist = consoleDistDir()): Router {
  const r = express.Router();
  const index = dist ? path.join(dist, "index.html") : undefined;
  r.use("/app", (_req, res, next) => {
    res.set(HEADERS);
    next();
  });
  // Express matches "/app" and "/app/" alike: redirect only the bare path, or the redirect would loop
  r.get("/app", (req, res, next) => {
    if (req.originalUrl.split("?")[0] === "/app") res.redirect(301, "/app/");
    else next();
  });
  if (dist) {
    r.use(
      "/app/assets",
      express.static(path.join(dist, "assets"), {
        immutable: true,
        maxAge: "365d",
        index: false,
        fallthrough: false,
      }),
    );
    r.use(
      "/app",
      express.static(dist, {
        index: false,
        maxAge: "1h",
        setHeaders: (res, file) => {
          if (file.endsWith(".html")) res.setHeader("Cache-Control", "no-cache");
        },
      }),
    );
  }
  r.get(/^\/app(\/.*)?$/, (_req, res) => {
    if (!index || !fs.existsSync(index)) {
      res
        .status(503)
        .type("text")
        .set("Cache-Control", "no-store")
        .send("The console is not built yet: run `npm run build:console` (npm start builds it when needed).");
      return;
    }
    res.set("Cache-Control", "no-cache").type("html").sendFile(index);
  });
  return r;
}
