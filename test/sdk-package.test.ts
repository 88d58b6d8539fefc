import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { buildSchema, Kind, parse, type OperationDefinitionNode } from "graphql";

/**
 * The typed client package (sdk/): its generated code is what `npm run codegen` writes today, it
 * has an operation for every root field of the schema, and its browser entry bundles for a
 * browser without any Node module.
 */
const root = path.resolve(__dirname, "..");

function operationFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? operationFiles(path.join(dir, e.name))
        : e.name.endsWith(".graphql")
          ? [path.join(dir, e.name)]
          : [],
    );
}

/** runs a script in a plain Node process (tools that Jest's VM breaks) and parses what it prints */
function nodeJson<T>(script: string): T {
  const r = spawnSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as T;
}

describe("sdk: the typed client package", () => {
  it("sdk/generated is what codegen.yml generates from schema.graphql and sdk/operations (run `npm run codegen`)", () => {
    // codegen loads its plugins through dynamic import, which Jest's VM does not offer: a child process
    const script = `
      const { generate, loadCodegenConfig } = require("@graphql-codegen/cli");
      (async () => {
        const { config } = await loadCodegenConfig({ configFilePath: "codegen.yml" });
        const out = await generate({ ...config, silent: true }, false);
        process.stdout.write(JSON.stringify(out));
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const outputs = nodeJson<{ filename: string; content: string }[]>(script);
    expect(outputs.map((o) => o.filename)).toEqual(["sdk/generated/graphql.ts"]);
    for (const o of outputs) {
      const committed = fs.readFileSync(path.join(root, o.filename), "utf8");
      if (committed !== o.content)
        throw new Error(`${o.filename} is stale: run \`npm run codegen\` and commit the result`);
    }
  });

  it("has one named operation in sdk/operations for every query, mutation and subscription field", () => {
    const schema = buildSchema(fs.readFileSync(path.join(root, "schema.graphql"), "utf8"));
    const used = new Set<string>();
    const names = new Set<string>();
    for (const file of operationFiles(path.join(root, "sdk/operations"))) {
      for (const def of parse(fs.readFileSync(file, "utf8")).definitions) {
        if (def.kind !== Kind.OPERATION_DEFINITION) continue;
        const op = def as OperationDefinitionNode;
        expect(op.name?.value).toBeTruthy();
        expect(names.has(op.name!.value)).toBe(false);
        names.add(op.name!.value);
        for (const sel of op.selectionSet.selections)
          if (sel.kind === Kind.FIELD) used.add(`${op.operation}.${sel.name.value}`);
      }
    }
    const missing: string[] = [];
    for (const [kind, type] of [
      ["query", schema.getQueryType()],
      ["mutation", schema.getMutationType()],
      ["subscription", schema.getSubscriptionType()],
    ] as const) {
      for (const field of Object.keys(type?.getFields() ?? {}))
        if (!used.has(`${kind}.${field}`)) missing.push(`${kind} ${field}`);
    }
    expect(missing).toEqual([]);
    expect(used.size).toBeGreaterThan(30);
  });

  it("bundles for a browser with no Node module (ws is never part of the browser path)", () => {
    // esbuild's binary protocol needs a real Node realm (Jest's VM breaks its Uint8Array check)
    const script = `
      require("esbuild").build({
        entryPoints: ["sdk/src/index.ts"], bundle: true, platform: "browser", format: "esm",
        write: false, logLevel: "silent", metafile: true,
      }).then((r) => process.stdout.write(JSON.stringify({
        inputs: Object.keys(r.metafile.inputs), code: r.outputFiles[0].text,
      })), (e) => { console.error(e.message); process.exit(1); });`;
    const { inputs, code } = nodeJson<{ inputs: string[]; code: string }>(script);
    expect(inputs.some((i) => i.includes("node_modules/graphql-ws/"))).toBe(true);
    expect(inputs.filter((i) => /node_modules\/(ws|undici)\/|^node:/.test(i))).toEqual([]);
    expect(code).not.toMatch(/require\(["'](ws|node:[a-z_]+|fs|net|http|https|crypto)["']\)/);
    expect(code).toContain("createGatewayClient");
  });
});
