import { Writable } from "node:stream";
import { createLogger } from "../logger";

describe("logger redaction", () => {
  it("blanks authorization headers, tokens, keys and secrets wherever they sit", () => {
    const lines: string[] = [];
    const log = createLogger({
      level: "info",
      destination: new Writable({
        write(c, _e, cb) {
          lines.push(String(c));
          cb();
        },
      }) as never,
    });
    log.info(
      {
        req: { headers: { authorization: "Bearer gwk_SECRET1" } },
        token: "secret_SECRET2",
        creds: { clientSecret: "SECRET3", secretKey: "SECRET4", publicKey: "SECRET5" },
        err: { config: { password: "SECRET6" } },
      },
      "hello",
    );
    const out = lines.join("");
    expect(out).toContain("hello");
    for (const s of ["SECRET1", "SECRET2", "SECRET3", "SECRET4", "SECRET5", "SECRET6"])
      expect(out).not.toContain(s);
    expect(out).toContain("[redacted]");
  });
});
