import { createHash } from "node:crypto";
import { EcwidSandbox } from "../../../sandbox/ecwid/ecwid.sandbox";
import { ECWID_FIXTURE_SEED } from "../../../sandbox/ecwid/ecwid.fixtures";
import {
  AuthCircuit,
  closeSharedAgents,
  ConnectorError,
  SharedRateBudget,
  type ConnectorDeps,
  LOCAL_UPSTREAMS,
} from "../../http";
import { EcwidClient } from "../ecwid.client";

/**
 * Product image endpoints (Ecwid §6.1) over real HTTP: main image and gallery image uploaded as
 * raw bytes or by `?externalUrl=`, answered with `{id}`; deletes; the 20 MB limit.
 */

const FAST: ConnectorDeps["transport"] = {
  upstreams: LOCAL_UPSTREAMS,
  initialDelayMs: 20,
  maxDelayMs: 200,
  readTimeoutMs: 5_000,
  connectTimeoutMs: 2_000,
};

let sb: EcwidSandbox;
let client: EcwidClient;
const PID = 700100200;

beforeEach(async () => {
  sb = await EcwidSandbox.start({
    storeId: 1003,
    rateLimitPerMinute: 100_000,
    seed: structuredClone(ECWID_FIXTURE_SEED),
  });
  client = new EcwidClient(
    { storeId: sb.storeId, token: sb.token, apiBaseUrl: sb.url },
    { budget: new SharedRateBudget(), circuit: new AuthCircuit(), transport: FAST },
    { requestsPerMinute: 60_000, batchPollIntervalMs: 20 },
  );
});
afterEach(() => sb.stop());
afterAll(() => closeSharedAgents());

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("Ecwid client: product images (§6.1)", () => {
  it("uploads the main image as bytes and replaces it on the next upload", async () => {
    const a = Buffer.from("first image bytes");
    const b = Buffer.from("second image bytes");
    const r1 = await client.uploadProductImage(PID, { bytes: a, contentType: "image/jpeg" });
    expect(typeof r1.id).toBe("number");
    let p = (await client.getProducts([PID]))[0]!;
    expect(p.media?.images).toHaveLength(1);
    expect(p.media?.images?.[0]).toMatchObject({ id: String(r1.id), isMain: true });
    expect(p.media?.images?.[0]?.imageOriginalUrl).toContain(sha(a));
    expect(p.originalImageUrl).toContain(sha(a));

    const r2 = await client.uploadProductImage(PID, { bytes: b, contentType: "image/png" });
    expect(r2.id).not.toBe(r1.id);
    p = (await client.getProducts([PID]))[0]!;
    expect(p.media?.images).toHaveLength(1);
    expect(p.media?.images?.[0]?.imageOriginalUrl).toContain(sha(b));
  });

  it("adds gallery images by bytes and by URL, deletes one and then all, and the main image", async () => {
    await client.uploadProductImage(PID, { bytes: Buffer.from("main"), contentType: "image/jpeg" });
    const g1 = await client.uploadGalleryImage(PID, {
      bytes: Buffer.from("gallery one"),
      contentType: "image/webp",
    });
    const g2 = await client.uploadGalleryImage(PID, { externalUrl: "https://cdn.example.com/g2.jpg" });
    let p = (await client.getProducts([PID]))[0]!;
    expect(p.media?.images?.map((i) => [i.isMain, i.orderBy])).toEqual([
      [true, 0],
      [false, 1],
      [false, 2],
    ]);
    expect(p.media?.images?.[1]?.imageOriginalUrl).toContain(sha(Buffer.from("gallery one")));
    expect(p.galleryImages?.map((g) => g.id)).toEqual([g1.id, g2.id]);

    expect(await client.deleteGalleryImages(PID, g1.id)).toEqual({ deleteCount: 1 });
    p = (await client.getProducts([PID]))[0]!;
    expect(p.galleryImages?.map((g) => g.id)).toEqual([g2.id]);
    expect(await client.deleteGalleryImages(PID)).toEqual({ deleteCount: 1 });
    expect(await client.deleteProductImage(PID)).toEqual({ deleteCount: 1 });
    p = (await client.getProducts([PID]))[0]!;
    expect(p.media?.images).toEqual([]);
    expect(p.originalImageUrl).toBeUndefined();
  });

  it("refuses an image over 20 MB with INCORRECT_IMAGE_SIZE and an unknown product with 404", async () => {
    const big = Buffer.alloc(20 * 1024 * 1024 + 1, 1);
    const e = await client.uploadProductImage(PID, { bytes: big, contentType: "image/jpeg" }).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(ConnectorError);
    expect((e as ConnectorError).message).toMatch(/INCORRECT_IMAGE_SIZE|20 MB/);
    const missing = await client
      .uploadGalleryImage(999, { bytes: Buffer.from("x"), contentType: "image/jpeg" })
      .then(
        () => null,
        (x: unknown) => x,
      );
    expect((missing as ConnectorError).status).toBe(404);
  });
});
