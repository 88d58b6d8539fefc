import "reflect-metadata";
import { ConfigError } from "../src/common/errors";
import { rotateKeyCommand } from "../src/ops/keys/rotate-key.command";

/** npm run rotate-key [-- --check]: see src/ops/keys/rotate-key.command.ts and the README. */
rotateKeyCommand(process.argv.slice(2), process.env, (l) => process.stdout.write(`${l}\n`))
  .then(({ code }) => process.exit(code))
  .catch((e) => {
    process.stderr.write(
      `${e instanceof ConfigError ? "Configuration error" : "rotate-key failed"}: ${(e as Error).message}\n`,
    );
    process.exit(2);
  });
