import fs from "node:fs";
import path from "node:path";
import { buildSchema, findBreakingChanges } from "graphql";
import { printGatewaySchema } from "../src/server/schema";

const root = path.resolve(__dirname, "..");

describe("the public GraphQL contract", () => {
  it("the built schema is a superset of the contract (no breaking changes)", async () => {
    const contract = buildSchema(fs.readFileSync(path.join(root, "contract/gateway.graphql"), "utf8"));
    const built = buildSchema(await printGatewaySchema());
    expect(findBreakingChanges(contract, built).map((c) => `${c.type}: ${c.description}`)).toEqual([]);
  });

  it("the committed schema.graphql is what the code builds (run `npm run schema` after changing the schema)", async () => {
    expect(fs.readFileSync(path.join(root, "schema.graphql"), "utf8")).toBe(await printGatewaySchema());
  });

  it("the contract copy in the repository is not edited (it must match the contract it was copied from)", () => {
    const copy = fs.readFileSync(path.join(root, "contract/gateway.graphql"), "utf8");
    const upstream = path.resolve(root, "../shared/contract/gateway.graphql");
    // On a fresh clone without ../shared the copy stands alone; next to the shared contract it must be identical.
    if (fs.existsSync(upstream)) expect(copy).toBe(fs.readFileSync(upstream, "utf8"));
    expect(copy).toContain("type Mutation");
  });
});
