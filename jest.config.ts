import type { Config } from "jest";

// Unit specs sit beside the code (__tests__/*.spec.ts); e2e and integration suites live in test/.
// Every suite talks to real servers (sandboxes, the gateway, SQLite or MariaDB), so suites get
// generous timeouts but never assert on timing.
const config: Config = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/src", "<rootDir>/test", "<rootDir>/migrations"],
  testMatch: ["**/__tests__/**/*.spec.ts", "<rootDir>/test/**/*.test.ts"],
  setupFiles: ["<rootDir>/test/setup/env.ts"],
  testTimeout: 60_000,
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: { warnOnly: false } }],
  },
};

export default config;
