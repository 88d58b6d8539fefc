import { IMAGE_BYTES, sha } from "../support/image-host";
import { ecwidBySku, runOne, startWorld, type World } from "../support/world";

const FLOW = "PRODUCTS_CCV_TO_ECWID" as const;

/**
 * CCV product photos → Ecwid main image and gallery over real HTTP: the photo files are fetched
 * from the CCV sandbox's file URL (`deeplink`) through the upstream guard and uploaded as bytes to
 * the Ecwid sandbox, only when their content changed.
 */
describe("PRODUCTS_CCV_TO_ECWID: images", () => {
  let w: World;
  const { red, blue, green } = IMAGE_BYTES;

  beforeAll(async () => {
    w = await startWorld({ ccv: { seed: { pricesIncludeVat: false } }, flows: [FLOW], taxRates: true });
  });
  afterAll(() => w.stop());

  const syncOne = (id: number, dryRun?: boolean) => runOne(w, FLOW, id, dryRun);
  /** the content of each Ecwid image, main first (the sandbox names the bytes' sha256 in the URL) */
  const imagesOf = (sku: string) =>
    (ecwidBySku(w, sku)?.media?.images ?? []).map((i) => ({
      sha: /\/([0-9a-f]{64})\//.exec(i.imageOriginalUrl ?? "")?.[1],
      main: i.isMain,
    }));
  const imageWrites = () => w.ecwid.log.find("POST", /\/(image|gallery)$/).length;

  /**
   * Sets a product's photos in the CCV sandbox without a webhook (a webhook-triggered run would
   * race the runs this test starts and inspects).
   */
  let nextPhotoId = 990_000;
  function setPhotos(productId: number, photos: { type: string; bytes: Buffer; main: boolean }[]) {
    const table = w.ccv.store.productPhotos;
    for (const p of table.ofProduct(productId)) table.delete(p.id);
    return photos.map((p) => {
      const rec = {
        id: nextPhotoId++,
        product_id: productId,
        file_type: p.type,
        alttext: null,
        is_mainphoto: p.main,
        bytes: p.bytes,
        sha256: sha(p.bytes),
      };
      table.set(rec.id, rec);
      return rec;
    });
  }

  function product(sku: string) {
    return w.ccv.store.seedProduct({
      name: `Foto ${sku}`,
      productnumber: sku,
      price: 10,
      taxtariff: "normal",
    });
  }

  it("creates the Ecwid product with the main image and gallery; unchanged photos are not uploaded again", async () => {
    const c = product("IMG-1");
    setPhotos(c.id, [
      { type: "png", bytes: red, main: true },
      { type: "jpg", bytes: blue, main: false },
    ]);
    const item = await syncOne(c.id);
    expect(item).toMatchObject({ action: "CREATE", status: "SUCCEEDED" });
    expect(imagesOf("IMG-1")).toEqual([
      { sha: sha(red), main: true },
      { sha: sha(blue), main: false },
    ]);
    const writes = imageWrites();
    expect(writes).toBe(2);

    // the CCV product changes (name), its photos do not: no image upload
    w.ccv.store.products.require(c.id).name = "Foto IMG-1 nieuw";
    const again = await syncOne(c.id);
    expect(again).toMatchObject({ action: "UPDATE", status: "SUCCEEDED" });
    expect(ecwidBySku(w, "IMG-1")?.name).toBe("Foto IMG-1 nieuw");
    expect(imageWrites()).toBe(writes);
    expect(imagesOf("IMG-1")).toEqual([
      { sha: sha(red), main: true },
      { sha: sha(blue), main: false },
    ]);
  });

  it("replaces the images when the photos changed; a dry run plans it and writes nothing", async () => {
    const c = product("IMG-2");
    setPhotos(c.id, [{ type: "png", bytes: red, main: true }]);
    await syncOne(c.id);
    expect(imagesOf("IMG-2")).toEqual([{ sha: sha(red), main: true }]);

    setPhotos(c.id, [
      { type: "jpg", bytes: green, main: true },
      { type: "jpg", bytes: blue, main: false },
    ]);
    const before = w.ecwid.log.writes().length;
    const dry = await syncOne(c.id, true);
    expect(dry).toMatchObject({ action: "UPDATE" });
    expect(JSON.stringify(dry.changes)).toContain("images");
    expect(JSON.stringify(dry.sentPayload)).toContain(sha(green));
    expect(w.ecwid.log.writes().length).toBe(before);
    expect(imagesOf("IMG-2")).toEqual([{ sha: sha(red), main: true }]);

    const real = await syncOne(c.id);
    expect(real).toMatchObject({ action: "UPDATE", status: "SUCCEEDED" });
    expect(imagesOf("IMG-2")).toEqual([
      { sha: sha(green), main: true },
      { sha: sha(blue), main: false },
    ]);
  });

  it("an unreachable photo fails the item with the reason while the product is still written", async () => {
    const c = product("IMG-3");
    const [photo] = setPhotos(c.id, [{ type: "png", bytes: red, main: true }]);
    w.ccv.faults.add({
      method: "GET",
      path: new RegExp(`/Files/ProductPhotos/${photo.id}\\.png$`),
      kind: "status",
      status: 503,
    });
    try {
      const item = await syncOne(c.id);
      expect(item).toMatchObject({ action: "CREATE", status: "FAILED", errorCode: "IMAGE" });
      expect(item.reason).toMatch(/main image was not taken over/);
      expect(ecwidBySku(w, "IMG-3")).toMatchObject({ name: "Foto IMG-3" });
      expect(imagesOf("IMG-3")).toEqual([]);
    } finally {
      w.ccv.faults.clear();
    }
    // once the photo can be fetched, the next run takes it over
    const retry = await syncOne(c.id);
    expect(retry).toMatchObject({ status: "SUCCEEDED", reason: "1 image(s) written." });
    expect(imagesOf("IMG-3")).toEqual([{ sha: sha(red), main: true }]);
  });
});
