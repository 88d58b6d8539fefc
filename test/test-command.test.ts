import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/**
 * The README's test command does what the README says: `npm test` runs the suite on SQLite and
 * again on the MySQL/MariaDB given in DATABASE_URL, and CI calls exactly that command (once).
 */
const root = path.resolve(__dirname, "..");
const read = (f: string) => fs.readFileSync(path.join(root, f), "utf8");
// one quick spec that needs no database, so the nested runs stay short
const SPEC = "src/sync/records/__tests__/customer-directory.spec.ts";

function npmTest(env: Record<string, string | undefined>) {
  const r = spawnSync(process.execPath, ["scripts/run-tests.js", SPEC], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("npm test: the suite on SQLite, then on MySQL/MariaDB", () => {
  it("package.json, the README and .ci/run agree on the command", () => {
    expect(JSON.parse(read("package.json")).scripts.test).toBe("node scripts/run-tests.js");
    expect(read("README.md")).toMatch(/npm install && npm test +# .*SQLite.*MySQL\/MariaDB/);
    const ci = read(".ci/run");
    // CI runs it once, naming its MariaDB: no second, separate MariaDB pass
    const runs = ci.split("\n").filter((l) => /^\s*(\w+=\S+\s+)*npm test\b/.test(l));
    expect(runs).toEqual(['DATABASE_URL="mysql://root@127.0.0.1:3306/gateway_ci" npm test']);
  });

  it("runs a second pass on the MySQL URL given in DATABASE_URL and sums both up (password masked)", () => {
    const r = npmTest({ DATABASE_URL: "mysql://root:s3cret@127.0.0.1:3306/test", TEST_DB: undefined });
    expect(r.status).toBe(0);
    expect(r.out).toContain("=== npm test: SQLite");
    expect(r.out).toContain("=== npm test: MySQL/MariaDB at mysql://root:***@127.0.0.1:3306/test");
    expect(r.out).not.toContain("s3cret");
    expect(r.out).toMatch(/^tests: 6 passed, 0 failed, 0 skipped$/m);
  });

  it("TEST_DB=sqlite runs the SQLite pass only", () => {
    const r = npmTest({ DATABASE_URL: "mysql://root@127.0.0.1:3306/test", TEST_DB: "sqlite" });
    expect(r.status).toBe(0);
    expect(r.out).not.toContain("MySQL/MariaDB at");
    expect(r.out).toMatch(/^tests: 3 passed, 0 failed, 0 skipped$/m);
  });

  it("a failing pass fails the command and says which", () => {
    // Jest fails a run whose pattern matches no test
    const r = spawnSync(process.execPath, ["scripts/run-tests.js", "no-such-test-file-anywhere"], {
      cwd: root,
      env: { ...process.env, TEST_DB: "sqlite" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(`${r.stdout}${r.stderr}`).toMatch(/FAIL SQLite: 0 passed/);
  });
});
