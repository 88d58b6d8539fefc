// Unit specs sit beside the code (__tests__/*.spec.ts); e2e and integration suites live in test/.
// Every suite talks to real servers (sandboxes, the gateway, SQLite or MariaDB), so suites get
// generous timeouts but never assert on speed. ts-jest transpiles per file (isolatedModules);
// `npm run lint` type-checks the whole project with tsc.
/** @type {import('jest').Config} */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/src", "<rootDir>/test"],
  testMatch: ["**/__tests__/**/*.spec.ts", "<rootDir>/test/**/*.test.ts"],
  setupFiles: ["<rootDir>/test/setup/env.ts"],
  testTimeout: 60000,
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.jest.json" }],
  },
};
