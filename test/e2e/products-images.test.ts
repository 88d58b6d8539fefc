import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  ConfigureFlowDocument,
  RunSyncDocument,
  SetValueMappingsDocument,
  SyncRunDocument,
  type ItemFieldsFragment,
} from "../../sdk/generated/graphql";
import { IMAGE_MAX_BYTES } from "../../src/sync/flows/products/images";
import { LinkStore } from "../../src/sync/engine/links";
import { startWorld, type World } from "../support/world";

const FLOW = "PRODUCTS_ECWID_TO_CCV" as const;
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** a small image host on loopback (the test gateway allows loopback upstreams, like the sandboxes) */
async function imageHost() {
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
    put(path: string, type: string, body: Buffer) {
      files.set(path, { type, body });
      return `${base}${path}`;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe("PRODUCTS_ECWID_TO_CCV: images", () => {
  let w: World;
  let host: Awaited<ReturnType<typeof imageHost>>;
  const red = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.from("red pixels")]);
  const blue = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from("blue pixels")]);
  const green = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from("green pixels")]);

  const photosOf = (ccvProductId: number) =>
    w.ccv.store.productPhotos
      .ofProduct(ccvProductId)
      .map((p) => ({ sha: p.sha256, main: p.is_mainphoto, type: p.file_type }));
  const photoWrites = () => w.ccv.log.find("PUT", /productphotos/).length;

  async function syncOne(id: number, dryRun = false): Promise<ItemFieldsFragment> {
    const queued = (
      await w.gql(RunSyncDocument, {
        integrationId: w.integrationId,
        flow: FLOW,
        options: { sourceIds: [String(id)], dryRun },
      })
    ).runSync;
    await w.waitRun(queued.id);
    return (await w.gql(SyncRunDocument, { id: queued.id, first: 5 })).syncRun!.items.edges[0].node;
  }

  const withImages = (sku: string, urls: string[]) =>
    w.ecwid.store.products.create({
      sku,
      name: `Product ${sku}`,
      price: 12.1,
      media: {
        images: urls.map((u, i) => ({ id: String(i), isMain: i === 0, orderBy: i, imageOriginalUrl: u })),
      },
    });

  beforeAll(async () => {
    host = await imageHost();
    w = await startWorld();
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: FLOW,
      input: { enabled: true },
    });
    await w.gql(SetValueMappingsDocument, {
      integrationId: w.integrationId,
      kind: "TAX_RATE",
      entries: [{ from: "21", to: "normal" }],
    });
  });
  afterAll(async () => {
    await w.stop();
    await host.close();
  });

  it("takes over the main image and the gallery as CCV product photos; unchanged images are not written again", async () => {
    const main = host.put("/mug/main.png", "image/png", red);
    const side = host.put("/mug/side.jpg", "image/jpeg", blue);
    const id = withImages("IMG-1", [main, side]);
    const item = await syncOne(id);
    expect(item).toMatchObject({ action: "CREATE", status: "SUCCEEDED" });
    const ccvId = Number(item.targetId);
    expect(photosOf(ccvId)).toEqual([
      { sha: sha(red), main: true, type: "png" },
      { sha: sha(blue), main: false, type: "jpg" },
    ]);
    expect((item.sentPayload as { images: unknown[] }).images).toEqual([
      { url: main, bytes: red.length, sha256: sha(red), main: true },
      { url: side, bytes: blue.length, sha256: sha(blue), main: false },
    ]);

    // the name changes, the images do not: fetched and compared, not written
    const writes = photoWrites();
    w.ecwid.store.products.update(id, { name: "Renamed" });
    const again = await syncOne(id);
    expect(again).toMatchObject({ action: "UPDATE", status: "SUCCEEDED" });
    expect(again.reason).toMatch(/Images unchanged/);
    expect(photoWrites()).toBe(writes);

    // a new gallery image (Ecwid gives a changed image a new URL): the photos are replaced
    const other = host.put("/mug/other.jpg", "image/jpeg", green);
    w.ecwid.store.products.update(id, {
      media: {
        images: [
          { id: "0", isMain: true, orderBy: 0, imageOriginalUrl: main },
          { id: "1", isMain: false, orderBy: 1, imageOriginalUrl: other },
        ],
      },
    });
    const changed = await syncOne(id);
    expect(changed.status).toBe("SUCCEEDED");
    expect(photosOf(ccvId).map((p) => p.sha)).toEqual([sha(red), sha(green)]);
    expect(photoWrites()).toBe(writes + 1);
  });

  it("an unreachable, oversized or refused image fails the item with the URL and why; the product is still written, and retried", async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));

    const cases: [string, string, RegExp][] = [
      [
        "IMG-DEAD",
        `http://127.0.0.1:${deadPort}/gone.jpg`,
        /main image was not taken over: image http:\/\/127\.0\.0\.1:\d+\/gone\.jpg could not be fetched/,
      ],
      [
        "IMG-BIG",
        host.put("/big.jpg", "image/jpeg", Buffer.alloc(IMAGE_MAX_BYTES + 1, 1)),
        /is larger than the limit of 10485760 bytes/,
      ],
      ["IMG-HTTP", "http://images.example.com/a.jpg", /must use https/],
      ["IMG-PRIV", "https://10.1.2.3/a.jpg", /10\.1\.2\.3 is a private network address/],
      [
        "IMG-HTML",
        host.put("/page.html", "text/html", Buffer.from("<html>")),
        /is not a JPEG, PNG, GIF or WebP image/,
      ],
    ];
    for (const [sku, url, why] of cases) {
      const id = withImages(sku, [url]);
      const item = await syncOne(id);
      expect(item).toMatchObject({ status: "FAILED", errorCode: "IMAGE" });
      expect(item.reason).toMatch(why);
      // the product itself is in CCV and linked; its link has no hash, so the next run tries again
      const link = await new LinkStore(w.t.gw.dataSource, w.integrationId).byEcwid("PRODUCT", String(id));
      expect(link).toMatchObject({ sku, hashToCcv: "" });
      expect(w.ccv.store.getProduct(Number(link!.ccvId)).name).toBe(`Product ${sku}`);
    }
    // the big image's host fixed: the retry takes it over
    const [, bigUrl] = cases[1];
    host.put("/big.jpg", "image/jpeg", blue);
    const big = [...w.ecwid.store.products.values()].find((r) => r.data.sku === "IMG-BIG")!.data.id;
    const retried = await syncOne(big);
    expect(retried.status).toBe("SUCCEEDED");
    expect(bigUrl).toContain("/big.jpg");
  });

  it("a dry run fetches and plans the images but writes nothing", async () => {
    const url = host.put("/dry.png", "image/png", red);
    const id = withImages("IMG-DRY", [url]);
    const writes = photoWrites();
    const item = await syncOne(id, true);
    expect(item).toMatchObject({ action: "CREATE", status: "PENDING" });
    expect((item.sentPayload as { images: unknown[] }).images).toEqual([
      { url, bytes: red.length, sha256: sha(red), main: true },
    ]);
    expect(photoWrites()).toBe(writes);
  });
});
