// ESLint (typescript-eslint) with the dependency direction of ARCHITECTURE §1 as lint rules:
//   resolvers → services/sync → connectors + db;  jobs → sync;  connectors → connectors/http;
//   domain → nothing. Nothing in connectors/ imports TypeORM or type-graphql; nothing in schema/
//   imports a connector.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

const restrict = (patterns, { allowTypeImports = false } = {}) => ({
  "@typescript-eslint/no-restricted-imports": [
    "error",
    { patterns: patterns.map((p) => ({ ...p, allowTypeImports })) },
  ],
});

const ORM_AND_GRAPHQL = [
  { group: ["typeorm", "typeorm/*"], message: "Only db/, services/, sync/ and jobs/ talk to the database." },
  {
    group: ["type-graphql", "@apollo/*", "graphql-ws", "graphql-ws/*"],
    message: "GraphQL lives in schema/, resolvers/ and server/.",
  },
];
const UPPER_LAYERS = [
  { group: ["**/resolvers/**", "**/resolvers"], message: "Lower layers never import resolvers." },
  { group: ["**/server/**", "**/server"], message: "Lower layers never import the server wiring." },
  { group: ["**/schema/**", "**/schema"], message: "GraphQL types stay in the API layer." },
];

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "sdk/generated/**",
      "sdk/dist/**",
      "coverage/**",
      "data/**",
      "console/dist/**",
      "artifacts/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
      "no-constant-condition": ["error", { checkLoops: false }],
    },
  },
  {
    files: ["**/*.js"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { module: "writable", require: "readonly", __dirname: "readonly" },
    },
  },
  {
    // plain Node scripts that run before anything is built (npm test, the CLI's launcher)
    files: ["scripts/**/*.js", "sdk/bin/**/*.js"],
    languageOptions: {
      sourceType: "commonjs",
      globals: {
        process: "readonly",
        console: "readonly",
        URL: "readonly",
        require: "readonly",
        module: "writable",
        __dirname: "readonly",
      },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["src/domain/**/*.ts"],
    rules: restrict([
      { group: ["../*", "../**"], message: "domain/ depends on nothing else in the project." },
      ...ORM_AND_GRAPHQL,
    ]),
  },
  {
    // a spec in domain/__tests__ imports the domain module it tests from its parent folder
    files: ["src/domain/__tests__/**/*.ts"],
    rules: restrict([
      { group: ["../../*", "../../**"], message: "domain/ depends on nothing else in the project." },
      ...ORM_AND_GRAPHQL,
    ]),
  },
  {
    files: ["src/connectors/**/*.ts"],
    ignores: ["src/connectors/**/__tests__/**"],
    rules: restrict([
      ...ORM_AND_GRAPHQL,
      ...UPPER_LAYERS,
      {
        group: [
          "**/db/**",
          "**/db",
          "**/services/**",
          "**/sync/**",
          "**/jobs/**",
          "**/mapping/**",
          "**/events/**",
        ],
        message: "Connectors only speak HTTP to a vendor (connectors/http) and map to domain/.",
      },
      {
        group: ["**/sandbox/**"],
        message: "The connector must not depend on the sandbox that imitates the vendor.",
      },
    ]),
  },
  {
    files: ["src/schema/**/*.ts"],
    rules: restrict([
      {
        group: [
          "**/connectors/**",
          "**/connectors",
          "**/db/**",
          "**/services/**",
          "**/sync/**",
          "**/jobs/**",
        ],
        message: "schema/ holds GraphQL classes only.",
      },
      { group: ["typeorm", "typeorm/*"], message: "schema/ holds GraphQL classes only." },
    ]),
  },
  {
    files: ["src/resolvers/**/*.ts"],
    rules: restrict(
      [
        {
          group: ["**/connectors/**", "**/connectors"],
          message: "Resolvers call services; services call connectors.",
        },
        {
          group: ["**/db/**", "typeorm", "typeorm/*"],
          message: "Resolvers call services; only types of entities may be imported.",
        },
        { group: ["**/server/**"], message: "Resolvers never import the server wiring." },
      ],
      { allowTypeImports: true },
    ),
  },
  {
    files: ["src/mapping/**/*.ts", "src/events/**/*.ts"],
    rules: restrict([
      ...UPPER_LAYERS,
      { group: ["type-graphql"], message: "GraphQL lives in schema/ and resolvers/." },
    ]),
  },
  {
    files: [
      "src/sync/**/*.ts",
      "src/jobs/**/*.ts",
      "src/services/**/*.ts",
      "src/db/**/*.ts",
      "src/ops/**/*.ts",
    ],
    rules: restrict([
      ...UPPER_LAYERS,
      { group: ["type-graphql", "@apollo/*"], message: "GraphQL lives in schema/ and resolvers/." },
    ]),
  },
  {
    files: ["scripts/**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
  {
    // the operator console: a browser app that reaches the gateway through its GraphQL API only
    files: ["console/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict([
        {
          group: ["**/src/**", "!**/console/src/**"],
          message: "The console is a third-party frontend: it uses the public GraphQL API only.",
        },
      ]),
    },
  },
  {
    files: ["**/__tests__/**/*.ts", "test/**/*.ts", "bench/**/*.ts"],
    rules: { "@typescript-eslint/no-non-null-assertion": "off" },
  },
);
