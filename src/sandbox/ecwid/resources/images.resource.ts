import { createHash } from "node:crypto";
import type { EcwidMediaImage } from "../../../connectors/ecwid/ecwid.types";
import type { EcwidSandboxStore } from "../ecwid.store";
import { EcwidApiError } from "../ecwid.validate";
import { idParam, ok, type EcwidRequest, type EcwidRouter } from "../ecwid.table";

/**
 * Product images (Ecwid §6.1): the main image and gallery images, uploaded as raw bytes in the
 * request body or by `?externalUrl=`; each upload answers `{"id": <imageId>}`; at most 20 MB.
 * The sandbox keeps the bytes' sha256 and serves the image under a CDN-like URL that names it,
 * so tests can tell which content an image has. An upload by URL records the URL's hash instead
 * (the sandbox does not download it).
 */

export const ECWID_IMAGE_MAX_BYTES = 20 * 1024 * 1024;

export class EcwidImages {
  private nextId = 1;
  constructor(private readonly store: EcwidSandboxStore) {}

  private content(req: EcwidRequest): string {
    const external = req.query.externalUrl;
    if (typeof external === "string" && external) {
      if (!/^https?:\/\//i.test(external))
        throw new EcwidApiError(400, "Field 'externalUrl' has a wrong value", "WRONG_PARAMETER");
      return `url-${createHash("sha256").update(external).digest("hex")}`;
    }
    const raw = req.raw;
    if (!raw || raw.length === 0)
      throw new EcwidApiError(400, "Image body is empty and no externalUrl given", "WRONG_PARAMETER");
    if (raw.length > ECWID_IMAGE_MAX_BYTES)
      throw new EcwidApiError(400, "Image is larger than 20 MB", "INCORRECT_IMAGE_SIZE");
    return createHash("sha256").update(raw).digest("hex");
  }

  private image(id: number, sha: string, isMain: boolean, orderBy: number): EcwidMediaImage {
    const u = `https://images.sandbox.invalid/${this.store.storeId}/${sha}`;
    return {
      id: String(id),
      isMain,
      orderBy,
      image160pxUrl: `${u}/160.jpg`,
      image400pxUrl: `${u}/400.jpg`,
      image800pxUrl: `${u}/800.jpg`,
      image1500pxUrl: `${u}/1500.jpg`,
      imageOriginalUrl: `${u}/orig.jpg`,
    };
  }

  /** the product's media list with its legacy main-image fields kept in step */
  private save(productId: number, images: EcwidMediaImage[]): void {
    const row = this.store.products.row(productId);
    images.forEach((i, n) => (i.orderBy = n));
    row.data.media = { images, videos: row.data.media?.videos ?? [] };
    const main = images.find((i) => i.isMain);
    row.data.imageUrl = main?.image1500pxUrl;
    row.data.originalImageUrl = main?.imageOriginalUrl;
    row.data.thumbnailUrl = main?.image400pxUrl;
    row.data.hdThumbnailUrl = main?.image800pxUrl;
    row.data.smallThumbnailUrl = main?.image160pxUrl;
    row.data.galleryImages = images
      .filter((i) => !i.isMain)
      .map((i, n) => ({
        id: Number(i.id),
        url: i.imageOriginalUrl,
        originalImageUrl: i.imageOriginalUrl,
        orderBy: n,
      }));
    this.store.products.changed(row);
  }

  private list(productId: number): EcwidMediaImage[] {
    return [...(this.store.products.row(productId).data.media?.images ?? [])];
  }

  uploadMain(productId: number, req: EcwidRequest): { id: number } {
    const images = this.list(productId);
    const sha = this.content(req);
    const id = this.nextId++;
    this.save(productId, [this.image(id, sha, true, 0), ...images.filter((i) => !i.isMain)]);
    return { id };
  }

  deleteMain(productId: number): { deleteCount: number } {
    const images = this.list(productId);
    const rest = images.filter((i) => !i.isMain);
    if (rest.length !== images.length) this.save(productId, rest);
    return { deleteCount: images.length - rest.length };
  }

  uploadGallery(productId: number, req: EcwidRequest): { id: number } {
    const images = this.list(productId);
    const sha = this.content(req);
    const id = this.nextId++;
    this.save(productId, [...images, this.image(id, sha, false, images.length)]);
    return { id };
  }

  deleteGallery(productId: number, imageId?: number): { deleteCount: number } {
    const images = this.list(productId);
    const rest = images.filter((i) => i.isMain || (imageId !== undefined && Number(i.id) !== imageId));
    if (rest.length !== images.length) this.save(productId, rest);
    return { deleteCount: images.length - rest.length };
  }
}

export function imagesRoutes(api: EcwidRouter, s: EcwidSandboxStore): void {
  const { images } = s;
  api.on("POST", "/products/{productId}/image", (c) => ok(images.uploadMain(idParam(c, "productId"), c)));
  api.on("DELETE", "/products/{productId}/image", (c) => ok(images.deleteMain(idParam(c, "productId"))));
  api.on("POST", "/products/{productId}/gallery", (c) =>
    ok(images.uploadGallery(idParam(c, "productId"), c)),
  );
  api.on("DELETE", "/products/{productId}/gallery", (c) => ok(images.deleteGallery(idParam(c, "productId"))));
  api.on("DELETE", "/products/{productId}/gallery/{imageId}", (c) =>
    ok(images.deleteGallery(idParam(c, "productId"), idParam(c, "imageId"))),
  );
}
