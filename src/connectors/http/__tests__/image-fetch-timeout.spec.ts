import http from "node:http";
import type { AddressInfo } from "node:net";
import { fetchImage, ImageFetchError } from "../image-fetch";
import { LOCAL_UPSTREAMS } from "../upstream-guard";

/**
 * The image timeout covers connecting, the headers and the whole body: a host that never answers,
 * one that stops in the middle of the body, and one that trickles bytes for ever all fail the fetch
 * with a clear reason (real HTTP on loopback).
 */
describe("fetchImage: timeout", () => {
  let server: http.Server;
  let base: string;
  const timers = new Set<NodeJS.Timeout>();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === "/silent.jpg") return; // accepted, never answered
      res.writeHead(200, { "content-type": "image/jpeg", "content-length": 1000 });
      res.write(Buffer.alloc(10, 1));
      if (req.url === "/stalled.jpg") return; // 10 of 1000 bytes, then nothing
      // /trickle.jpg: one byte every 20 ms — each chunk in time, the whole never
      const t = setInterval(() => res.write(Buffer.alloc(1, 1)), 20);
      timers.add(t);
      res.on("close", () => clearInterval(t));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const t of timers) clearInterval(t);
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const failure = async (path: string): Promise<ImageFetchError> => {
    try {
      await fetchImage(`${base}${path}`, LOCAL_UPSTREAMS, { maxBytes: 1_000_000, timeoutMs: 300 });
    } catch (e) {
      if (e instanceof ImageFetchError) return e;
      throw e;
    }
    throw new Error(`${path} was fetched`);
  };

  it("a host that accepts and never answers", async () => {
    const e = await failure("/silent.jpg");
    expect(e.message).toBe(`image ${base}/silent.jpg could not be fetched: no answer within 300 ms`);
  });

  it("a body that stops half-way", async () => {
    const e = await failure("/stalled.jpg");
    expect(e.message).toBe(`image ${base}/stalled.jpg could not be fetched: not complete within 300 ms`);
  });

  it("a body that trickles: the limit is on the whole download, not per chunk", async () => {
    const e = await failure("/trickle.jpg");
    expect(e.message).toBe(`image ${base}/trickle.jpg could not be fetched: not complete within 300 ms`);
  });
});
