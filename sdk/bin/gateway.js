#!/usr/bin/env node
// The `gateway` command. Runs the compiled CLI (sdk/dist); in a clone of the repository, where
// sdk/dist is not committed, it is compiled with tsc first (once, and again when a source is newer).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const sdk = path.resolve(__dirname, "..");
const entry = path.join(sdk, "dist", "cli", "main.js");

function newestSource(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith(".ts")) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function stale() {
  if (!fs.existsSync(entry)) return true;
  // a published package has no sources next to its dist: nothing to compare
  if (!fs.existsSync(path.join(sdk, "cli", "main.ts"))) return false;
  const built = fs.statSync(entry).mtimeMs;
  return ["src", "cli", "generated"].some((d) => newestSource(path.join(sdk, d)) > built);
}

if (stale()) {
  let tsc;
  try {
    tsc = require.resolve("typescript/bin/tsc", { paths: [sdk] });
  } catch {
    console.error("gateway: the CLI is not built and TypeScript is missing; run `npm install` first.");
    process.exit(1);
  }
  process.stderr.write("gateway: building the CLI (tsc -p sdk/tsconfig.json)…\n");
  const r = spawnSync(process.execPath, [tsc, "-p", path.join(sdk, "tsconfig.json")], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
  // tsc leaves an unchanged output file alone: mark the build as fresh
  const now = new Date();
  fs.utimesSync(entry, now, now);
}

require(entry).run();
