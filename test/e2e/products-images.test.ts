import http from "node:http";
import type { AddressInfo } from "node:net";
import { IMAGE_MAX_BYTES } from "../../src/sync/flows/products/images";
import { IMAGE_BYTES, sha, startImageHost, type ImageHost } from "../support/image-host";
import { linksOf, runOne, startWorld, type World } from "../support/world";

const FLOW = "PRODUCTS_ECWID_TO_CCV" as const;

describe("PRODUCTS_ECWID_TO_CCV: images", () => {
  let w: World;
  let host: ImageHost;
  const { red, blue, green } = IMAGE_BYTES;

  const photosOf = (ccvProductId: number) =>
    w.ccv.store.productPhotos
      .ofProduct(ccvProductId)
      .map((p) => ({ sha: p.sha256, main: p.is_mainphoto, type: p.file_type }));
  const photoWrites = () => w.ccv.log.find("PUT", /productphotos/).length;

  const syncOne = (id: number, dryRun?: boolean) => runOne(w, FLOW, id, dryRun);

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
    host = await startImageHost();
    w = await startWorld({ flows: [FLOW], taxRates: true });
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
      const link = await linksOf(w).byEcwid("PRODUCT", String(id));
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
