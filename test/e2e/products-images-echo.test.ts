import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  ConfigureFlowDocument,
  RunSyncDocument,
  SetValueMappingsDocument,
  SyncRunDocument,
  SyncRunsDocument,
  type ItemFieldsFragment,
} from "../../sdk/generated/graphql";
import type { EcwidProduct } from "../../src/connectors/ecwid";
import { CcvWebhookEntity } from "../../src/db/entities/infra.entity";
import { eventually, startWorld, type World } from "../support/world";

type Flow = "PRODUCTS_CCV_TO_ECWID" | "PRODUCTS_ECWID_TO_CCV";
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** a small image host on loopback (the test gateway allows loopback upstreams, like the sandboxes) */
async function imageHost() {
  const files = new Map<string, { type: string; body: Buffer }>();
  const server = http.createServer((req, res) => {
    const f = files.get(req.url ?? "/");
    if (!f) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": f.type, "content-length": f.body.length }).end(f.body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    put(path: string, type: string, body: Buffer) {
      files.set(path, { type, body });
      return `${base}${path}`;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * With both product flows on (and the webhooks of both vendors delivering every write the gateway
 * makes), an image taken over in one direction must not come back in the other as a new photo or
 * upload: neither when the echo arrives, nor when the product is changed later for another reason.
 */
describe("product images with both product flows on: no echo", () => {
  let w: World;
  let host: Awaited<ReturnType<typeof imageHost>>;
  const red = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.from("red pixels")]);
  const blue = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from("blue pixels")]);

  async function runOne(flow: Flow, sourceId: number | string): Promise<ItemFieldsFragment> {
    const queued = (
      await w.gql(RunSyncDocument, {
        integrationId: w.integrationId,
        flow,
        options: { sourceIds: [String(sourceId)] },
      })
    ).runSync;
    await w.waitRun(queued.id);
    const items = (await w.gql(SyncRunDocument, { id: queued.id, first: 10 })).syncRun!.items.edges.map(
      (e) => e.node,
    );
    const item = items.find((i) => i.sourceId === String(sourceId));
    if (!item) throw new Error(`no item for ${sourceId}: ${JSON.stringify(items)}`);
    return item;
  }
  /** every webhook delivered and every run it caused finished (a write's echo would happen by then) */
  async function settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await w.ccv.webhooks.idle();
      await w.ecwid.webhooks.flush();
      for (const flow of ["PRODUCTS_CCV_TO_ECWID", "PRODUCTS_ECWID_TO_CCV"] as const) {
        const runs = (await w.gql(SyncRunsDocument, { integrationId: w.integrationId, flow })).syncRuns.edges;
        for (const r of runs) await w.waitRun(r.node.id);
      }
    }
  }
  const ecwidProduct = (id: number): EcwidProduct => w.ecwid.store.getProduct(id);
  const ecwidBySku = (sku: string): EcwidProduct =>
    [...w.ecwid.store.products.values()].map((r) => r.data).find((p) => p.sku === sku)!;
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
    for (const flow of ["PRODUCTS_CCV_TO_ECWID", "PRODUCTS_ECWID_TO_CCV"] as const)
      for (const r of (await w.gql(SyncRunsDocument, { integrationId: w.integrationId, flow, first: 100 }))
        .syncRuns.edges)
        for (const e of (await w.gql(SyncRunDocument, { id: r.node.id, first: 100 })).syncRun!.items.edges)
          if (e.node.status === "FAILED") out.push(`${flow} ${e.node.sourceId}: ${e.node.reason}`);
    return out;
  }
  const triggers = async (flow: Flow) =>
    (await w.gql(SyncRunsDocument, { integrationId: w.integrationId, flow })).syncRuns.edges.map(
      (r) => r.node.trigger,
    );

  beforeAll(async () => {
    host = await imageHost();
    w = await startWorld({ ccv: { seed: { pricesIncludeVat: false } } });
    await w.gql(SetValueMappingsDocument, {
      integrationId: w.integrationId,
      kind: "TAX_RATE",
      entries: [{ from: "21", to: "normal" }],
    });
    for (const flow of ["PRODUCTS_CCV_TO_ECWID", "PRODUCTS_ECWID_TO_CCV"] as const)
      await w.gql(ConfigureFlowDocument, { integrationId: w.integrationId, flow, input: { enabled: true } });
    w.ecwid.registerWebhook(`${w.t.url}/webhooks/ecwid/${w.integrationId}`, [
      "product.created",
      "product.updated",
      "product.deleted",
    ]);
    // the CCV webhooks the gateway registers when the flows are enabled (with their keys)
    await eventually(
      async () =>
        (await w.t.gw.dataSource.manager.countBy(CcvWebhookEntity, { integrationId: w.integrationId })) >= 3,
      "the CCV product webhooks to be registered",
    );
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

    const created = await runOne("PRODUCTS_CCV_TO_ECWID", c.id);
    expect(created).toMatchObject({ action: "CREATE", status: "SUCCEEDED" });
    const ecwidId = ecwidBySku("CUP-1").id;
    expect(ecwidImages(ecwidProduct(ecwidId))).toEqual([
      { sha: sha(red), main: true },
      { sha: sha(blue), main: false },
    ]);
    await settle();
    // the echo: the Ecwid→CCV run for the product skips it
    expect(await runOne("PRODUCTS_ECWID_TO_CCV", ecwidId)).toMatchObject({ action: "SKIP" });
    expect(ccvPhotoWrites()).toBe(photoWrites);

    // a later change in Ecwid (the name) travels to CCV without the images
    const imageWrites = ecwidImageWrites();
    w.ecwid.store.products.update(ecwidId, { name: "Kop groot" });
    // (the webhook-triggered run takes it over; none of the runs fails on the images)
    await settle();
    expect(await failedItems()).toEqual([]);
    expect(w.ccv.store.getProduct(c.id).name).toBe("Kop groot");
    expect(ccvPhotoWrites()).toBe(photoWrites);
    expect(ccvPhotos(c.id)).toEqual(photos);
    // ...and its echo brings nothing back to Ecwid
    await settle();
    expect(await runOne("PRODUCTS_CCV_TO_ECWID", c.id)).toMatchObject({ action: "SKIP" });
    expect(ecwidImageWrites()).toBe(imageWrites);
    expect(await triggers("PRODUCTS_ECWID_TO_CCV")).toContain("WEBHOOK");

    // a real photo change in CCV still travels
    const green = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from("green pixels")]);
    w.ccv.store.productPhotos.set(nextId, {
      id: nextId++,
      product_id: c.id,
      file_type: "jpg",
      alttext: null,
      is_mainphoto: false,
      bytes: green,
      sha256: sha(green),
    });
    const changed = await runOne("PRODUCTS_CCV_TO_ECWID", c.id);
    expect(changed).toMatchObject({ action: "UPDATE", status: "SUCCEEDED" });
    expect(ecwidImages(ecwidProduct(ecwidId)).map((i) => i.sha)).toEqual([sha(red), sha(blue), sha(green)]);
    await settle();
    expect(await runOne("PRODUCTS_ECWID_TO_CCV", ecwidId)).toMatchObject({ action: "SKIP" });
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
    const created = await runOne("PRODUCTS_ECWID_TO_CCV", ecwidId);
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
    await settle();
    // the echo: the CCV→Ecwid run (webhook-triggered, and once more here) uploads nothing
    expect(await runOne("PRODUCTS_CCV_TO_ECWID", ccvId)).toMatchObject({ action: "SKIP" });
    expect(ecwidImageWrites()).toBe(imageWrites);
    expect(await triggers("PRODUCTS_CCV_TO_ECWID")).toContain("WEBHOOK");

    // a later change in CCV (the name) travels to Ecwid without the images
    w.ccv.store.patchProduct(ccvId, { name: "Lamp wit" });
    await settle();
    expect(await failedItems()).toEqual([]);
    expect(ecwidProduct(ecwidId).name).toBe("Lamp wit");
    expect(ecwidImageWrites()).toBe(imageWrites);
    expect(ecwidImages(ecwidProduct(ecwidId))).toEqual(before);
    // ...and its echo brings nothing back to CCV
    await settle();
    expect(await runOne("PRODUCTS_ECWID_TO_CCV", ecwidId)).toMatchObject({ action: "SKIP" });
    expect(ccvPhotoWrites()).toBe(photoWrites);
    expect(ccvPhotos(ccvId)).toEqual(photos);
  });
});
