import { createHash } from "node:crypto";
import {
  ConfigureFlowDocument,
  RunSyncDocument,
  SetValueMappingsDocument,
  SyncRunDocument,
  type ItemFieldsFragment,
} from "../../sdk/generated/graphql";
import type { EcwidProduct } from "../../src/connectors/ecwid";
import { startWorld, type World } from "../support/world";

const FLOW = "PRODUCTS_CCV_TO_ECWID" as const;
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/**
 * CCV product photos → Ecwid main image and gallery over real HTTP: the photo files are fetched
 * from the CCV sandbox's file URL (`deeplink`) through the upstream guard and uploaded as bytes to
 * the Ecwid sandbox, only when their content changed.
 */
describe("PRODUCTS_CCV_TO_ECWID: images", () => {
  let w: World;
  const red = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.from("red pixels")]);
  const blue = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from("blue pixels")]);
  const green = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from("green pixels")]);

  beforeAll(async () => {
    w = await startWorld({ ccv: { seed: { pricesIncludeVat: false } } });
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
  afterAll(() => w.stop());

  async function syncOne(id: number, dryRun = false): Promise<ItemFieldsFragment> {
    const queued = (
      await w.gql(RunSyncDocument, {
        integrationId: w.integrationId,
        flow: FLOW,
        options: { sourceIds: [String(id)], dryRun },
      })
    ).runSync;
    await w.waitRun(queued.id);
    const items = (await w.gql(SyncRunDocument, { id: queued.id, first: 10 })).syncRun!.items.edges.map(
      (e) => e.node,
    );
    const item = items.find((i) => i.sourceId === String(id));
    if (!item) throw new Error(`no item for ${id}: ${JSON.stringify(items)}`);
    return item;
  }
  const ecwidBySku = (sku: string): EcwidProduct | undefined =>
    [...w.ecwid.store.products.values()].map((r) => r.data).find((p) => p.sku === sku);
  /** the content of each Ecwid image, main first (the sandbox names the bytes' sha256 in the URL) */
  const imagesOf = (sku: string) =>
    (ecwidBySku(sku)?.media?.images ?? []).map((i) => ({
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
    expect(ecwidBySku("IMG-1")?.name).toBe("Foto IMG-1 nieuw");
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
      expect(ecwidBySku("IMG-3")).toMatchObject({ name: "Foto IMG-3" });
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
