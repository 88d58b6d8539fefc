import http from "node:http";
import type { AddressInfo } from "node:net";
import { AuthCircuit } from "../auth-circuit";
import { ConnectorError } from "../connector-error";
import { SharedRateBudget } from "../rate-budget";
import { closeSharedAgents, HttpTransport } from "../transport";
import {
  addressProblem,
  LOCAL_UPSTREAMS,
  STRICT_UPSTREAMS,
  upstreamUrlProblem,
  upstreamUrlProblemOf,
  type UpstreamPolicy,
} from "../upstream-guard";

afterAll(() => closeSharedAgents());

/** a local HTTP server that counts the connections it gets */
async function countingServer(handler: http.RequestListener = (_q, r) => r.end("{}")) {
  const server = http.createServer(handler);
  let connections = 0;
  server.on("connection", () => connections++);
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    connections: () => connections,
    close: () =>
      new Promise<void>((res) => {
        server.closeAllConnections();
        server.close(() => res());
      }),
  };
}

function transport(upstreams: UpstreamPolicy) {
  return new HttpTransport({
    system: "CCV_SALESPOS",
    credentialKey: "k",
    budget: new SharedRateBudget(),
    circuit: new AuthCircuit(),
    upstreams,
    maxAttempts: 1,
    classify: (res) =>
      res.status >= 300
        ? new ConnectorError({
            system: "CCV_SALESPOS",
            code: "UNKNOWN",
            status: res.status,
            message: `HTTP ${res.status}`,
          })
        : null,
  });
}

/** the error a request ends with (every request here must fail) */
const get = (t: HttpTransport, url: string): Promise<ConnectorError> =>
  t.send({ method: "GET", url, lane: "GET /x", perMinute: 1000 }).then(
    () => {
      throw new Error(`${url} was fetched`);
    },
    (x: unknown) => x as ConnectorError,
  );

describe("upstream addresses", () => {
  it.each([
    "https://127.1/api",
    "https://2130706433/api",
    "https://0x7f.1/api",
    "https://0177.0.0.1/api",
    "https://[::ffff:127.0.0.1]/api",
    "https://[::1]/api",
    "https://169.254.169.254/latest/meta-data",
    "https://[::ffff:a9fe:a9fe]/",
    "https://10.0.0.1/",
    "https://172.16.5.4/",
    "https://192.168.1.1/",
    "https://100.64.0.1/",
    "https://[fe80::1]/",
    "https://[fc00::1]/",
    "https://0.0.0.0/",
    "https://[64:ff9b::7f00:1]/",
    "https://localhost/",
    "http://shop.example.com/",
    "https://user:pw@shop.example.com/",
  ])("%s is refused by default", (url) => {
    expect(upstreamUrlProblem(url, STRICT_UPSTREAMS)).toEqual(expect.any(String));
  });

  it("public https URLs pass; loopback passes only with GATEWAY_ALLOW_LOCAL_UPSTREAMS, private never", () => {
    expect(upstreamUrlProblem("https://myshop.ccvshop.nl", STRICT_UPSTREAMS)).toBeNull();
    expect(upstreamUrlProblem("https://93.184.216.34/api", STRICT_UPSTREAMS)).toBeNull();
    expect(upstreamUrlProblem("http://127.0.0.1:4102", LOCAL_UPSTREAMS)).toBeNull();
    expect(upstreamUrlProblem("http://localhost:4102", LOCAL_UPSTREAMS)).toBeNull();
    expect(upstreamUrlProblem("https://[::1]:4102", LOCAL_UPSTREAMS)).toBeNull();
    expect(upstreamUrlProblem("http://shop.example.com", LOCAL_UPSTREAMS)).toMatch(/must use https/);
    expect(upstreamUrlProblem("https://10.1.2.3", LOCAL_UPSTREAMS)).toMatch(
      /10\.1\.2\.3 is a private network address/,
    );
    expect(upstreamUrlProblem("https://169.254.169.254", LOCAL_UPSTREAMS)).toMatch(/link-local/);
    expect(addressProblem("127.0.0.1", STRICT_UPSTREAMS)).toMatch(
      /loopback address; the gateway only connects to public addresses/,
    );
  });

  it("a name is judged on the address it resolves to when connecting (DNS rebinding), before any byte is sent", async () => {
    const s = await countingServer();
    try {
      // the name resolves to the loopback server's address, as a rebinding DNS answer would
      const rebinding: UpstreamPolicy = {
        allowLocal: false,
        resolve: async () => [{ address: "127.0.0.1", family: 4 }],
      };
      const e = await get(transport(rebinding), `https://shop.rebind.example:${s.port}/api/rest/v1/webshops`);
      expect(e).toBeInstanceOf(ConnectorError);
      expect(e.vendorCode).toBe("UPSTREAM_REFUSED");
      expect(e.code).toBe("VALIDATION");
      expect(e.message).toMatch(
        /CCV SalesPOS at shop\.rebind\.example:\d+ was not contacted: shop\.rebind\.example resolves to an address the gateway does not connect to: 127\.0\.0\.1 is a loopback address/,
      );
      // even where loopback is allowed, a private answer is not
      const toPrivate: UpstreamPolicy = {
        allowLocal: true,
        resolve: async () => [{ address: "10.9.8.7", family: 4 }],
      };
      const p = await get(transport(toPrivate), `https://shop.rebind.example:${s.port}/x`);
      expect(p.message).toMatch(/10\.9\.8\.7 is a private network address/);
      expect(s.connections()).toBe(0);
    } finally {
      await s.close();
    }
  });

  it("a literal inside address is refused before connecting, and redirects are never followed", async () => {
    const target = await countingServer();
    const redirector = await countingServer((_q, r) => {
      r.writeHead(302, { location: `http://127.0.0.1:${target.port}/inside` });
      r.end("<html>moved to the admin panel SECRET-INSIDE</html>");
    });
    try {
      const strict = await get(transport(STRICT_UPSTREAMS), `https://127.1:${target.port}/x`);
      expect(strict.message).toMatch(
        /was not contacted: the base URL points at an address the gateway does not connect to: 127\.0\.0\.1 is a loopback address/,
      );
      const r = await get(transport(LOCAL_UPSTREAMS), `http://127.0.0.1:${redirector.port}/x`);
      expect(r.status).toBe(302);
      expect(redirector.connections()).toBe(1);
      expect(target.connections()).toBe(0);
    } finally {
      await target.close();
      await redirector.close();
    }
  });
});

describe("the per-request verdict (judged once per scheme and authority)", () => {
  const URLS = [
    "https://shop.example.com/api/orders?x=1",
    "https://shop.example.com",
    "https://user:pw@shop.example.com/api",
    "https://good.example.com\\@127.0.0.1/api",
    "https://127.0.0.1/api",
    "http://127.0.0.1:4102/api/rest/v1/orders",
    "https://[::1]:4102/x",
    "https://ex\nample.com/x",
    "  https://10.0.0.1/x",
    "http://shop.example.com/x#y",
    "https:/\\127.0.0.1/",
    "https:\\\\127.0.0.1/",
    "not a url",
    "mailto:someone@example.com",
  ];
  it.each(URLS)("%j: the same verdict as judging the whole URL, also when asked again", (url) => {
    for (const policy of [STRICT_UPSTREAMS, LOCAL_UPSTREAMS]) {
      expect(upstreamUrlProblemOf(url, policy)).toBe(upstreamUrlProblem(url, policy));
      expect(upstreamUrlProblemOf(url, policy)).toBe(upstreamUrlProblem(url, policy));
    }
  });
  it("a path never changes the verdict the first request of an origin got", () => {
    expect(upstreamUrlProblemOf("https://10.0.0.1/first", STRICT_UPSTREAMS)).toMatch(/private network/);
    expect(upstreamUrlProblemOf("https://10.0.0.1/second?q=1", STRICT_UPSTREAMS)).toMatch(/private network/);
    expect(upstreamUrlProblemOf("http://127.0.0.1:1/a", LOCAL_UPSTREAMS)).toBeNull();
    expect(upstreamUrlProblemOf("http://127.0.0.1:1/a", STRICT_UPSTREAMS)).toEqual(expect.any(String));
  });
});
