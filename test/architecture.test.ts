import { spawnSync } from "node:child_process";
import path from "node:path";

/**
 * The dependency direction of ARCHITECTURE §1 is enforced by lint rules (eslint.config.mjs); this
 * proves the rules exist and bite, so deleting them fails a test. `npm run lint` checks the tree.
 */
describe("dependency direction is enforced by ESLint", () => {
  const root = path.resolve(__dirname, "..");
  // ESLint's flat config loads through dynamic import, which Jest's VM does not offer: run the CLI.
  const lint = async (file: string, code: string): Promise<string[]> => {
    const r = spawnSync(
      process.execPath,
      [
        path.join(root, "node_modules/eslint/bin/eslint.js"),
        "--stdin",
        "--stdin-filename",
        file,
        "--format",
        "json",
      ],
      {
        cwd: root,
        input: code,
        encoding: "utf8",
      },
    );
    const [result] = JSON.parse(r.stdout) as { messages: { ruleId: string; message: string }[] }[];
    return result.messages
      .filter((m) => m.ruleId === "@typescript-eslint/no-restricted-imports")
      .map((m) => m.message);
  };

  it("connectors may not import TypeORM, type-graphql, the database layer or the sandbox", async () => {
    const msgs = await lint(
      "src/connectors/ecwid/bad.ts",
      [
        'import { DataSource } from "typeorm";',
        'import { Field } from "type-graphql";',
        'import { IntegrationEntity } from "../../db/entities/integration.entity";',
        'import { EcwidSandbox } from "../../sandbox/ecwid/ecwid.sandbox";',
        "export const x = [DataSource, Field, IntegrationEntity, EcwidSandbox];",
      ].join("\n"),
    );
    expect(msgs).toHaveLength(4);
  });

  it("schema may not import a connector; domain imports nothing of the project", async () => {
    expect(
      await lint("src/schema/bad.type.ts", 'import { x } from "../connectors/http";\nexport const y = x;'),
    ).toHaveLength(1);
    expect(
      await lint("src/domain/bad.ts", 'import { x } from "../config/config";\nexport const y = x;'),
    ).toHaveLength(1);
  });

  it("resolvers call services, not connectors", async () => {
    expect(
      await lint(
        "src/resolvers/bad.resolver.ts",
        'import { x } from "../connectors/http";\nexport const y = x;',
      ),
    ).toHaveLength(1);
    expect(
      await lint(
        "src/resolvers/ok.resolver.ts",
        'import { x } from "../services/principal";\nexport const y = x;',
      ),
    ).toHaveLength(0);
  });
});
