import http from "node:http";
import type { AddressInfo } from "node:net";
import type { UpstreamPolicy } from "../../../connectors/http";
import { DeliveryError, realSenders, type AlertMessage } from "../alert-senders";

/**
 * Alert channels go through the upstream policy at connect time, like vendor calls: a name that
 * resolves inside (DNS rebinding after the channel was saved) is refused before any byte is sent.
 */
const message: AlertMessage = {
  deliveryId: 1,
  kind: "TEST",
  subject: "s",
  text: "t",
  json: { type: "test" },
};

describe("alert senders judge the address they connect to", () => {
  let server: http.Server;
  let port: number;
  let hits = 0;
  beforeAll(async () => {
    server = http.createServer((_q, r) => {
      hits++;
      r.end("ok");
    });
    await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const rebinding = (address: string): UpstreamPolicy => ({
    allowLocal: false,
    resolve: async () => [{ address, family: 4 }],
  });

  it("a webhook host that resolves to a private or loopback address is refused, nothing sent", async () => {
    for (const address of ["10.1.2.3", "127.0.0.1", "169.254.169.254"]) {
      const err = await realSenders(rebinding(address))
        .webhook({ url: `https://alerts.example.com:${port}/hook`, secret: "s" }, message)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeliveryError);
      expect((err as Error).message).toMatch(/the webhook address is refused: .*does not connect to/);
    }
    expect(hits).toBe(0);
  });

  it("an SMTP host name that resolves inside is refused before connecting", async () => {
    const err = await realSenders(rebinding("192.168.1.5"))
      .email(
        {
          host: "smtp.example.com",
          port,
          tls: "NONE",
          username: null,
          password: null,
          from: "a@b.c",
          to: ["d@e.f"],
        },
        message,
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as Error).message).toMatch(
      /the SMTP host is refused: .*192\.168\.1\.5 is a private network address/,
    );
    expect(hits).toBe(0);
  });

  it("with GATEWAY_ALLOW_LOCAL_UPSTREAMS a loopback receiver is reached", async () => {
    const status = await realSenders({ allowLocal: true }).webhook(
      { url: `http://127.0.0.1:${port}/hook`, secret: "s" },
      message,
    );
    expect(status).toBe(200);
    expect(hits).toBe(1);
  });
});
