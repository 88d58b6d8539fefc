#!/usr/bin/env node
// `npm test`: the whole Jest suite on SQLite, then again on MySQL/MariaDB when one is given
// (DATABASE_URL=mysql://…) or reachable at 127.0.0.1:3306 as root without a password. Arguments
// after `--` go to both passes (`npm test -- test/e2e/records.test.ts`). TEST_DB=sqlite or
// TEST_DB=mysql runs one pass only. Under CI (CI set) a missing MySQL/MariaDB fails instead of
// being skipped. The last line sums both passes up ("tests: N passed, N failed, N skipped").
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const LOCAL_MYSQL = "mysql://root@127.0.0.1:3306/test";
const root = path.resolve(__dirname, "..");
const jestBin = require.resolve("jest/bin/jest", { paths: [root] });
const args = process.argv.slice(2);
const only = (process.env.TEST_DB || "all").toLowerCase();

if (!["all", "sqlite", "mysql"].includes(only)) {
  console.error(`TEST_DB must be all, sqlite or mysql (got "${process.env.TEST_DB}").`);
  process.exit(2);
}

/** a MySQL URL from DATABASE_URL, or the local server when it answers; null when there is none */
function mysqlUrl() {
  const given = process.env.DATABASE_URL || "";
  if (/^(mysql|mariadb):\/\//.test(given)) return given;
  // a child process: mysql2 keeps sockets and timers that a synchronous script cannot await
  const probe = `require("mysql2/promise").createConnection({host:"127.0.0.1",port:3306,user:"root",password:"",connectTimeout:2000})
    .then((c) => c.end()).then(() => process.exit(0), () => process.exit(1));`;
  const r = spawnSync(process.execPath, ["-e", probe], { cwd: root, timeout: 5000 });
  return r.status === 0 ? LOCAL_MYSQL : null;
}

/** masks a password in a database URL for printing */
function printable(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparsable DATABASE_URL)";
  }
}

function pass(label, env) {
  console.log(`\n=== npm test: ${label}\n`);
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gw-jest-")), "results.json");
  const r = spawnSync(process.execPath, [jestBin, "--json", `--outputFile=${out}`, ...args], {
    cwd: root,
    env,
    stdio: "inherit",
  });
  let counts = { passed: 0, failed: 0, skipped: 0 };
  try {
    const j = JSON.parse(fs.readFileSync(out, "utf8"));
    counts = {
      passed: j.numPassedTests,
      failed: j.numFailedTests + j.numRuntimeErrorTestSuites,
      skipped: j.numPendingTests + j.numTodoTests,
    };
  } catch {
    // Jest did not get to write its results (a crash before the first suite): the exit code says it
  }
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return { label, ok: r.status === 0, ...counts };
}

const results = [];
if (only !== "mysql") {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  results.push(pass("SQLite", env));
}
if (only !== "sqlite") {
  const url = mysqlUrl();
  if (url) {
    results.push(pass(`MySQL/MariaDB at ${printable(url)}`, { ...process.env, DATABASE_URL: url }));
  } else if (process.env.CI || only === "mysql") {
    console.error(
      "\nNo MySQL/MariaDB: set DATABASE_URL=mysql://… or start one at 127.0.0.1:3306 (root, no password).",
    );
    results.push({ label: "MySQL/MariaDB", ok: false, passed: 0, failed: 0, skipped: 0 });
  } else {
    console.log("\n(no MySQL/MariaDB given or reachable at 127.0.0.1:3306: the MySQL pass is skipped)");
  }
}

console.log("");
for (const r of results)
  console.log(
    `  ${r.ok ? "ok  " : "FAIL"} ${r.label}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`,
  );
const sum = (k) => results.reduce((n, r) => n + r[k], 0);
console.log(`tests: ${sum("passed")} passed, ${sum("failed")} failed, ${sum("skipped")} skipped`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
