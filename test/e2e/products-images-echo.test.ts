import { SyncRunsDocument } from "../../sdk/generated/graphql";
import type { EcwidProduct } from "../../src/connectors/ecwid";
import {
  ccvWebhooksRegistered,
  deliverEcwidWebhooks,
  ecwidBySku,
  enableFlows,
  PRODUCT_FLOWS,
  runItems,
  runOne,
  settle,
  startWorld,
  type World,
} from "../support/world";
import { IMAGE_BYTES, sha, startImageHost, type ImageHost } from "../support/image-host";

type Flow = "PRODUCTS_CCV_TO_ECWID" | "PRODUCTS_ECWID_TO_CCV";

/**
 * With both product flows on (and the webhooks of both vendors delivering every write the gateway
 * makes), an image taken over in one direction must not come back in the other as a new photo or
 * upload: neither when the echo arrives, nor when the product is changed later for another reason.
 */
describe("product images with both product flows on: no echo", () => {
  let w: World;
  let host: ImageHost;
  const { red, blue, green } = IMAGE_BYTES;

  const ecwidProduct = (id: number): EcwidProduct => w.ecwid.store.getProduct(id);
  /** the Ecwid images by content, main first (the sandbox names the bytes' sha256 in the URL) */
  const ecwidImages = (p: EcwidProduct) =>
    (p.media?.images ?? []).map((i) => ({
      sha: /\/([0-9a-f]{64})\//.exec(i.imageOriginalUrl ?? "")?.[1] ?? i.imageOriginalUrl,
      main: i.isMain,
    }));
  const ecwidImageWrites = () =>
    w.ecwid.log.writes().filter((e) => /\/(image|gallery)(\/|$)/.test(e.path)).length;
  const ccvPhotos = (ccvId: number) =>
    w.ccv.store.productPhotos
      .ofProduct(ccvId)
      .map((p) => ({ id: p.id, sha: p.sha256, main: p.is_mainphoto }));
  const ccvPhotoWrites = () => w.ccv.log.writes().filter((e) => /productphotos/.test(e.path)).length;
  /** every item of every run of both product flows so far that did not succeed or skip */
  async function failedItems(): Promise<string[]> {
    const out: string[] = [];
    for (const flow of PRODUCT_FLOWS)
      for (const r of (await w.gql(SyncRunsDocument, { integrationId: w.integrationId, flow, first: 100 }))
        .syncRuns.edges)
        for (const i of await runItems(w, r.node.id))
          if (i.status === "FAILED") out.push(`${flow} ${i.sourceId}: ${i.reason}`);
    return out;
  }
  const triggers = async (flow: Flow) =>
    (await w.gql(SyncRunsDocument, { integrationId: w.integrationId, flow })).syncRuns.edges.map(
      (r) => r.node.trigger,
    );

  beforeAll(async () => {
    host = await startImageHost();
    w = await startWorld({ ccv: { seed: { pricesIncludeVat: false } }, taxRates: true });
    await enableFlows(w, ...PRODUCT_FLOWS);
    deliverEcwidWebhooks(w);
    // the CCV webhooks the gateway registers when the flows are enabled (with their keys)
    await ccvWebhooksRegistered(w, 3, "the CCV product webhooks to be registered");
  });
  afterAll(async () => {
    await w.stop();
    await host.close();
  });

  it("CCV photos written to Ecwid are not sent back to CCV: not by the echo, not with a later Ecwid change", async () => {
    const c = w.ccv.store.seedProduct({
      name: "Kop",
      productnumber: "CUP-1",
      price: 10,
      taxtariff: "normal",
    });
    let nextId = 880_000;
    for (const [bytes, type, main] of [
      [red, "png", true],
      [blue, "jpg", false],
    ] as const)
      w.ccv.store.productPhotos.set(nextId, {
        id: nextId++,
        product_id: c.id,
        file_type: type,
        alttext: main ? "Front" : null,
        is_mainphoto: main,
        bytes,
        sha256: sha(bytes),
      });
    const photos = ccvPhotos(c.id);
    const photoWrites = ccvPhotoWrites();

    const created = await runOne(w, "PRODUCTS_CCV_TO_ECWID", c.id);
    expect(created).toMatchObject({ action: "CREATE", status: "SUCCEEDED" });
    const ecwidId = ecwidBySku(w, "CUP-1")!.id;
    expect(ecwidImages(ecwidProduct(ecwidId))).toEqual([
      { sha: sha(red), main: true },
      { sha: sha(blue), main: false },
    ]);
    await settle(w);
    // the echo: the Ecwid→CCV run for the product skips it
    expect(await runOne(w, "PRODUCTS_ECWID_TO_CCV", ecwidId)).toMatchObject({ action: "SKIP" });
    expect(ccvPhotoWrites()).toBe(photoWrites);

    // a later change in Ecwid (the name) travels to CCV without the images
    const imageWrites = ecwidImageWrites();
    w.ecwid.store.products.update(ecwidId, { name: "Kop groot" });
    // (the webhook-triggered run takes it over; none of the runs fails on the images)
    await settle(w);
    expect(await failedItems()).toEqual([]);
    expect(w.ccv.store.getProduct(c.id).name).toBe("Kop groot");
    expect(ccvPhotoWrites()).toBe(photoWrites);
    expect(ccvPhotos(c.id)).toEqual(photos);
    // ...and its echo brings nothing back to Ecwid
    await settle(w);
    expect(await runOne(w, "PRODUCTS_CCV_TO_ECWID", c.id)).toMatchObject({ action: "SKIP" });
    expect(ecwidImageWrites()).toBe(imageWrites);
    expect(await triggers("PRODUCTS_ECWID_TO_CCV")).toContain("WEBHOOK");

    // a real photo change in CCV still travels
    w.ccv.store.productPhotos.set(nextId, {
      id: nextId++,
      product_id: c.id,
      file_type: "jpg",
      alttext: null,
      is_mainphoto: false,
      bytes: green,
      sha256: sha(green),
    });
    const changed = await runOne(w, "PRODUCTS_CCV_TO_ECWID", c.id);
    expect(changed).toMatchObject({ action: "UPDATE", status: "SUCCEEDED" });
    expect(ecwidImages(ecwidProduct(ecwidId)).map((i) => i.sha)).toEqual([sha(red), sha(blue), sha(green)]);
    await settle(w);
    expect(await runOne(w, "PRODUCTS_ECWID_TO_CCV", ecwidId)).toMatchObject({ action: "SKIP" });
    expect(ccvPhotoWrites()).toBe(photoWrites);
  });

  it("Ecwid images written to CCV are not sent back to Ecwid: not by the echo, not with a later CCV change", async () => {
    const main = host.put("/lamp/main.png", "image/png", red);
    const side = host.put("/lamp/side.jpg", "image/jpeg", blue);
    const ecwidId = w.ecwid.store.products.create({
      sku: "LAMP-9",
      name: "Lamp",
      price: 12.1,
      media: {
        images: [
          { id: "0", isMain: true, orderBy: 0, imageOriginalUrl: main },
          { id: "1", isMain: false, orderBy: 1, imageOriginalUrl: side },
        ],
      },
    });
    const before = ecwidImages(ecwidProduct(ecwidId));
    const imageWrites = ecwidImageWrites();

    // the product.created webhook may start a run first: then this one finds the product synced
    const created = await runOne(w, "PRODUCTS_ECWID_TO_CCV", ecwidId);
    expect(created).toMatchObject({ status: expect.stringMatching(/^(SUCCEEDED|SKIPPED)$/) });
    expect(["CREATE", "SKIP"]).toContain(created.action);
    const ccvId = Number(created.targetId);
    expect([...w.ccv.store.products.values()].filter((p) => p.productnumber === "LAMP-9")).toHaveLength(1);
    expect(ccvPhotos(ccvId).map((p) => [p.sha, p.main])).toEqual([
      [sha(red), true],
      [sha(blue), false],
    ]);
    const photos = ccvPhotos(ccvId);
    const photoWrites = ccvPhotoWrites();
    await settle(w);
    // the echo: the CCV→Ecwid run (webhook-triggered, and once more here) uploads nothing
    expect(await runOne(w, "PRODUCTS_CCV_TO_ECWID", ccvId)).toMatchObject({ action: "SKIP" });
    expect(ecwidImageWrites()).toBe(imageWrites);
    expect(await triggers("PRODUCTS_CCV_TO_ECWID")).toContain("WEBHOOK");

    // a later change in CCV (the name) travels to Ecwid without the images
    w.ccv.store.patchProduct(ccvId, { name: "Lamp wit" });
    await settle(w);
    expect(await failedItems()).toEqual([]);
    expect(ecwidProduct(ecwidId).name).toBe("Lamp wit");
    expect(ecwidImageWrites()).toBe(imageWrites);
    expect(ecwidImages(ecwidProduct(ecwidId))).toEqual(before);
    // ...and its echo brings nothing back to CCV
    await settle(w);
    expect(await runOne(w, "PRODUCTS_ECWID_TO_CCV", ecwidId)).toMatchObject({ action: "SKIP" });
    expect(ccvPhotoWrites()).toBe(photoWrites);
    expect(ccvPhotos(ccvId)).toEqual(photos);
  });
});
