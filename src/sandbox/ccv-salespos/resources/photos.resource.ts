import { createHash } from "node:crypto";
import type { CcvStore } from "../ccv.store";
import { CcvTable, created, done, ok, type CcvRouter, type Rec } from "../ccv.table";
import { invalid, validateBody } from "../ccv.validate";

/**
 * Product photos (CCV §5.2): POST one (`file_type` and `source`, base64 without a `data:` prefix),
 * PUT the whole list (an empty list deletes all), PATCH alt text / main flag, DELETE one. At most one
 * main photo per product. The bytes are kept (tests compare them by hash).
 */

export interface PhotoRec {
  id: number;
  product_id: number;
  file_type: string;
  alttext: string | null;
  is_mainphoto: boolean;
  bytes: Buffer;
  sha256: string;
}

/** [sandbox] file types accepted; others answer 400 */
const FILE_TYPES = ["jpg", "jpeg", "png", "gif", "webp"];
const PHOTO_FIELDS = {
  file_type: "!string",
  source: "!string",
  alttext: "string?",
  is_mainphoto: "boolean",
} as const;

export class CcvProductPhotos extends CcvTable<PhotoRec> {
  constructor(store: CcvStore) {
    super(store, "Product photo", 400_000);
  }

  ofProduct(productId: number): PhotoRec[] {
    return [...this.values()].filter((p) => p.product_id === productId).sort((a, b) => a.id - b.id);
  }

  private parse(productId: number, body: unknown): Omit<PhotoRec, "id"> {
    const b = validateBody(body, PHOTO_FIELDS, { resource: "productphotos" });
    const type = String(b.file_type).toLowerCase();
    if (!FILE_TYPES.includes(type)) throw invalid(`'file_type' must be one of: ${FILE_TYPES.join(", ")}.`);
    const source = String(b.source);
    if (source.startsWith("data:")) throw invalid("'source' must be base64 without a data: prefix.");
    const bytes = Buffer.from(source, "base64");
    if (
      bytes.length === 0 ||
      bytes.toString("base64").replace(/=+$/, "") !== source.replace(/\s+/g, "").replace(/=+$/, "")
    )
      throw invalid("'source' is not valid base64.");
    return {
      product_id: productId,
      file_type: type,
      alttext: (b.alttext as string | null | undefined) ?? null,
      is_mainphoto: b.is_mainphoto === true,
      bytes,
      sha256: createHash("sha256").update(bytes).digest("hex"),
    };
  }

  private add(p: Omit<PhotoRec, "id">): PhotoRec {
    if (p.is_mainphoto) for (const o of this.ofProduct(p.product_id)) o.is_mainphoto = false;
    const rec = { id: this.nextId(), ...p };
    this.set(rec.id, rec);
    return rec;
  }

  create(productId: number, body: unknown): PhotoRec {
    this.store.products.require(productId);
    const rec = this.add(this.parse(productId, body));
    this.store.emitEntity("products.updated", `/products/${productId}`, productId);
    return rec;
  }

  /** PUT: every photo replaced by the list (all validated before any change) */
  replaceAll(productId: number, body: unknown): void {
    this.store.products.require(productId);
    const list = (body as { productphotos?: unknown } | null)?.productphotos;
    if (!Array.isArray(list)) throw invalid('The body of productphotos must be {"productphotos": [...]}.');
    const parsed = list.map((x) => this.parse(productId, x));
    for (const p of this.ofProduct(productId)) this.delete(p.id);
    for (const p of parsed) this.add(p);
    this.store.emitEntity("products.updated", `/products/${productId}`, productId);
  }

  patch(id: number, body: unknown): void {
    const p = this.require(id);
    const b = validateBody(
      body,
      { alttext: "string?", is_mainphoto: "boolean" },
      { partial: true, resource: "productphotos" },
    );
    if (b.is_mainphoto === true) for (const o of this.ofProduct(p.product_id)) o.is_mainphoto = false;
    Object.assign(p, b);
  }

  mainOf(productId: number): PhotoRec | undefined {
    return this.ofProduct(productId).find((p) => p.is_mainphoto);
  }

  url(p: PhotoRec): string {
    return `${this.store.shopRoot()}/Files/ProductPhotos/${p.id}.${p.file_type}`;
  }

  render(p: PhotoRec): Rec {
    return {
      href: this.href(`/productphotos/${p.id}`),
      id: p.id,
      filename: `${p.id}.${p.file_type}`,
      alttext: p.alttext,
      is_mainphoto: p.is_mainphoto,
      deeplink: this.url(p),
      parent: { href: this.href(`/products/${p.product_id}/productphotos`) },
    };
  }
}

export function photosRoutes(api: CcvRouter, s: CcvStore): void {
  const photos = s.productPhotos;
  api.on(
    "GET",
    "/products/{id}/productphotos",
    (c) => (s.products.require(c.ids[0]), { flat: photos.ofProduct(c.ids[0]).map((p) => photos.render(p)) }),
  );
  api.on("POST", "/products/{id}/productphotos", (c) =>
    created(photos.render(photos.create(c.ids[0], c.body))),
  );
  api.on("PUT", "/products/{id}/productphotos", (c) => (photos.replaceAll(c.ids[0], c.body), done));
  api.on("GET", "/productphotos/{id}", (c) => ok(photos.render(photos.require(c.ids[0]))));
  api.on("PATCH", "/productphotos/{id}", (c) => (photos.patch(c.ids[0], c.body), done));
  api.on("DELETE", "/productphotos/{id}", (c) => (photos.require(c.ids[0]), photos.delete(c.ids[0]), done));
}
