import { Router } from "express";

/**
 * `GET /`: where a newcomer who opens the gateway's address lands — a small page pointing to the
 * console and the playground (a bare 404 helps nobody). Programs asking for JSON get the same
 * pointers as data. Self-contained (no script, no external asset).
 */
export const HOME_LINKS = {
  console: "/app",
  playground: "/playground",
  graphql: "/graphql",
  health: "/healthz",
  metrics: "/metrics",
} as const;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>Ecwid ⇄ CCV SalesPOS gateway</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; color: #1f2937; line-height: 1.5; }
  h1 { font-size: 1.4rem; }
  a.card { display: block; border: 1px solid #d1d5db; border-radius: 8px; padding: 0.8rem 1rem; margin: 0.8rem 0; color: inherit; text-decoration: none; }
  a.card:hover { border-color: #2563eb; }
  a.card strong { color: #2563eb; }
  code { background: #f3f4f6; padding: 0 0.25rem; border-radius: 3px; }
  small { color: #6b7280; }
</style>
</head>
<body>
<h1>Ecwid ⇄ CCV SalesPOS gateway</h1>
<p>This gateway is running. Sign in with an API key (<code>gwk_…</code>) or the instance operator token.</p>
<a class="card" href="${HOME_LINKS.console}"><strong>Console</strong><br />integrations, flows, runs and live events in the browser</a>
<a class="card" href="${HOME_LINKS.playground}"><strong>GraphQL playground</strong><br />try queries, mutations and subscriptions (paste your key in the bar at the top)</a>
<p><small>API: <code>POST ${HOME_LINKS.graphql}</code> and <code>WS ${HOME_LINKS.graphql}</code> with
<code>Authorization: Bearer &lt;key&gt;</code> · <a href="${HOME_LINKS.health}">${HOME_LINKS.health}</a> ·
<a href="${HOME_LINKS.metrics}">${HOME_LINKS.metrics}</a> · scripts: the <code>gateway</code> CLI and the typed client in <code>sdk/</code></small></p>
</body>
</html>
`;

export function homeRouter(): Router {
  const r = Router();
  r.get("/", (req, res) => {
    if (req.accepts(["html", "json"]) === "json") {
      res.json({ links: HOME_LINKS });
      return;
    }
    res.type("html").send(PAGE);
  });
  return r;
}
