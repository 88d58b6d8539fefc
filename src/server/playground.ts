import path from "node:path";
import express, { type Router } from "express";

/**
 * GraphiQL served from the gateway's own assets (no CDN), so the playground works offline. The
 * bearer key is typed into a field on the page, kept in the browser's localStorage, and sent both
 * as the HTTP Authorization header and in the graphql-ws connection_init payload.
 */
const asset = (pkg: string, file: string) =>
  path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);

const ASSETS: Record<string, string> = {
  "react.js": asset("react", "umd/react.production.min.js"),
  "react-dom.js": asset("react-dom", "umd/react-dom.production.min.js"),
  "graphiql.js": asset("graphiql", "graphiql.min.js"),
  "graphiql.css": asset("graphiql", "graphiql.min.css"),
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<title>Gateway playground</title>
<link rel="stylesheet" href="/playground/assets/graphiql.css" />
<style>
  body { margin: 0; height: 100vh; display: flex; flex-direction: column; font-family: system-ui, sans-serif; }
  #bar { display: flex; gap: 8px; align-items: center; padding: 6px 10px; background: #f3f4f6; border-bottom: 1px solid #ddd; font-size: 14px; }
  #bar input { flex: 1; max-width: 640px; font-family: monospace; padding: 4px 6px; }
  #graphiql { flex: 1; min-height: 0; }
</style>
</head>
<body>
<div id="bar">
  <label for="key">API key</label>
  <input id="key" type="password" placeholder="gwk_… or the instance admin token" autocomplete="off" />
  <button id="save">Use key</button>
  <span id="state"></span>
</div>
<div id="graphiql"></div>
<script src="/playground/assets/react.js"></script>
<script src="/playground/assets/react-dom.js"></script>
<script src="/playground/assets/graphiql.js"></script>
<script>
  var STORE = "gateway.apiKey";
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  function render() {
    var key = localStorage.getItem(STORE) || "";
    var auth = key ? "Bearer " + key : "";
    var wsUrl = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/graphql";
    var fetcher = GraphiQL.createFetcher({
      url: "/graphql",
      subscriptionUrl: wsUrl,
      headers: auth ? { Authorization: auth } : {},
      wsConnectionParams: auth ? { authorization: auth } : {},
    });
    document.getElementById("state").textContent = key ? "key set (" + key.slice(0, 8) + "…)" : "no key";
    root.render(React.createElement(GraphiQL, { fetcher: fetcher, key: key, defaultQuery: "{ viewer { isInstanceAdmin role workspace { id name } } }\\n" }));
  }
  document.getElementById("save").onclick = function () {
    localStorage.setItem(STORE, document.getElementById("key").value.trim());
    document.getElementById("key").value = "";
    render();
  };
  render();
</script>
</body>
</html>`;

export function playgroundRouter(): Router {
  const r = express.Router();
  r.get("/playground", (_req, res) => {
    res.type("html").set("Cache-Control", "no-store").send(PAGE);
  });
  r.get("/playground/assets/:name", (req, res) => {
    const file = ASSETS[req.params.name];
    if (!file) {
      res.status(404).end();
      return;
    }
    res.set("Cache-Control", "public, max-age=86400").sendFile(file);
  });
  return r;
}
