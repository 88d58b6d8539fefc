import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** the sha256 of a file's bytes, as the gateway and the sandboxes name image content */
export const sha = (b: Buffer): string => createHash("sha256").update(b).digest("hex");

/** three small "images" of distinct content: a PNG signature and two JPEG signatures, each with a tail */
export const IMAGE_BYTES = {
  red: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.from("red pixels")]),
  blue: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from("blue pixels")]),
  green: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from("green pixels")]),
};

export interface ImageHost {
  base: string;
  files: Map<string, { type: string; body: Buffer }>;
  /** requests per path so far */
  hits: Map<string, number>;
  /** serves `body` as `type` at `path` and answers its URL */
  put(path: string, type: string, body: Buffer): string;
  close(): Promise<void>;
}

/** a small image host on loopback (the test gateway allows loopback upstreams, like the sandboxes) */
export async function startImageHost(): Promise<ImageHost> {
  const files = new Map<string, { type: string; body: Buffer }>();
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const path = req.url ?? "/";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const f = files.get(path);
    if (!f) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": f.type, "content-length": f.body.length }).end(f.body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    files,
    hits,
    put(path, type, body) {
      files.set(path, { type, body });
      return `${base}${path}`;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
