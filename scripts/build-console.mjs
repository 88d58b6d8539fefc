// Builds the operator console (console/ → console/dist) when it is missing or older than its
// sources, so `npm install` (prepare), `npm ci`, `npm start`, `npm run demo` and the browser tests
// all serve a current console without an extra command. `--force` always builds.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "console", "dist", "index.html");
const inputs = [
  "console/src",
  "console/public",
  "console/index.html",
  "console/vite.config.ts",
  "sdk/generated/graphql.ts",
  "package-lock.json",
];

function newest(p) {
  const full = path.join(root, p);
  if (!fs.existsSync(full)) return 0;
  const st = fs.statSync(full);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...fs.readdirSync(full).map((name) => newest(path.join(p, name))));
}

export async function buildConsole({ force = false } = {}) {
  const built = fs.existsSync(dist) ? fs.statSync(dist).mtimeMs : 0;
  if (!force && built > 0 && built >= Math.max(...inputs.map(newest))) return "current";
  // the console ships React's production build whatever the caller's NODE_ENV (jest sets "test")
  process.env.NODE_ENV = "production";
  let vite;
  try {
    vite = await import("vite");
  } catch {
    // a production install without devDependencies: keep an existing build, else say what is missing
    const msg = built
      ? "console: vite is not installed; serving the existing build in console/dist"
      : "console: vite is not installed (npm install without --omit=dev builds it); /app answers 503";
    console.warn(msg);
    return "skipped";
  }
  await vite.build({
    configFile: path.join(root, "console", "vite.config.ts"),
    mode: "production",
    logLevel: "warn",
  });
  return "built";
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outcome = await buildConsole({ force: process.argv.includes("--force") });
  if (outcome === "built") console.log("console: built into console/dist");
}
