import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { printGatewaySchema } from "../src/server/schema";

/** Writes schema.graphql from the built schema (npm run schema). A test fails when the committed file is stale. */
async function main() {
  const file = path.resolve(__dirname, "../../schema.graphql");
  fs.writeFileSync(file, await printGatewaySchema());
  process.stdout.write(`wrote ${file}\n`);
}

void main();
