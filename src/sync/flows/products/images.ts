import { fetchImage, ImageFetchError, shownUrl, type FetchedImage } from "../../../connectors/http";
import type { EcwidProduct } from "../../../connectors/ecwid";
import { hashOf } from "../../engine/hash";
import type { FlowRuntime } from "../../engine/flow-definition";

/**
 * Product images Ecwid → CCV (the hosted platform does not sync them): the main image and the
 * gallery, fetched from Ecwid's URLs through the upstream guard (https only, public addresses, a
 * timeout, a size limit) and written as CCV product photos (CCV §5.2) only when their content
 * changed (sha256 of the bytes, kept per product in the integration state). An image that cannot
 * be fetched fails the item with the URL and the reason; the product's other fields are written.
 */

/** largest image taken over (Ecwid accepts up to 20 MB, Ecwid §6.1; CCV's limit is not documented) */
export const IMAGE_MAX_BYTES = 10 * 1024 * 1024;
/** the whole download of one image */
export const IMAGE_TIMEOUT_MS = 15_000;

export interface ImageRef {
  url: string;
  main: boolean;
  alt: string | null;
}

const altText = (alt: unknown): string | null =>
  typeof alt === "string"
    ? alt
    : alt && typeof alt === "object" && typeof (alt as { main?: unknown }).main === "string"
      ? ((alt as { main: string }).main ?? null)
      : null;

/** main image first, then the gallery in Ecwid's order; each URL once */
export function ecwidImageUrls(p: EcwidProduct): ImageRef[] {
  const out: ImageRef[] = [];
  const images = [...(p.media?.images ?? [])].sort(
    (a, b) => Number(b.isMain ?? false) - Number(a.isMain ?? false) || (a.orderBy ?? 0) - (b.orderBy ?? 0),
  );
  if (images.length) {
    for (const i of images) {
      const url = i.imageOriginalUrl ?? i.image1500pxUrl ?? i.image800pxUrl;
      if (url) out.push({ url, main: out.length === 0, alt: altText(i.alt) });
    }
  } else {
    const main = p.originalImageUrl ?? p.imageUrl;
    if (main) out.push({ url: main, main: true, alt: null });
    for (const g of [...(p.galleryImages ?? [])].sort((a, b) => (a.orderBy ?? 0) - (b.orderBy ?? 0))) {
      const url = g.originalImageUrl ?? g.url ?? g.imageUrl;
      if (url) out.push({ url, main: out.length === 0, alt: altText(g.alt) });
    }
  }
  const seen = new Set<string>();
  return out.filter((r) => (seen.has(r.url) ? false : (seen.add(r.url), true)));
}

export interface ImageSync {
  changes: { field: string; before: unknown; after: unknown }[];
  /** what is (or would be) written: per image its URL (without query), size and content hash */
  planned?: { url: string; bytes: number; sha256: string; main: boolean }[];
  note: string | null;
  /** an image could not be fetched: the item fails with this */
  failure?: string;
}

const stateKey = (ecwidProductId: string) => `img:${ecwidProductId}`;
const NO_IMAGES = "none";

export async function syncImagesToCcv(
  rt: FlowRuntime,
  ccvProductId: number | null,
  ecwidProductId: string,
  p: EcwidProduct,
): Promise<ImageSync> {
  const refs = ecwidImageUrls(p);
  const stored = await rt.state.get(stateKey(ecwidProductId));
  if (!refs.length) {
    // images the gateway put there are removed with Ecwid's; a CCV product it never gave images keeps its own
    if (stored === undefined || stored === NO_IMAGES) return { changes: [], note: null };
    if (!rt.dryRun && ccvProductId !== null) {
      await rt.clients.ccv.replaceProductPhotos(ccvProductId, []);
      await rt.state.set(stateKey(ecwidProductId), NO_IMAGES);
    }
    return { changes: [{ field: "images", before: "synced images", after: [] }], planned: [], note: null };
  }
  const fetched: (FetchedImage & ImageRef)[] = [];
  for (const r of refs) {
    try {
      const img = await fetchImage(r.url, rt.clients.ecwid.upstreams, {
        maxBytes: IMAGE_MAX_BYTES,
        timeoutMs: IMAGE_TIMEOUT_MS,
        signal: rt.signal,
      });
      fetched.push({ ...img, ...r });
    } catch (e) {
      if (e instanceof ImageFetchError)
        return {
          changes: [],
          note: null,
          failure: `The product's ${r.main ? "main image" : "gallery image"} was not taken over: ${e.message}.`,
        };
      throw e;
    }
  }
  const hash = hashOf(fetched.map((f) => [f.sha256, f.main, f.alt])).slice(0, 64);
  const planned = fetched.map((f) => ({
    url: shownUrl(f.url),
    bytes: f.bytes.length,
    sha256: f.sha256,
    main: f.main,
  }));
  if (hash === stored) return { changes: [], note: "Images unchanged." };
  const changes = [
    { field: "images", before: stored ? "other images" : null, after: planned.map((x) => x.url) },
  ];
  if (rt.dryRun || ccvProductId === null) return { changes, planned, note: null };
  await rt.clients.ccv.replaceProductPhotos(
    ccvProductId,
    fetched.map((f) => ({
      file_type: f.fileType,
      source: f.bytes.toString("base64"),
      is_mainphoto: f.main,
      ...(f.alt ? { alttext: f.alt } : {}),
    })),
  );
  await rt.state.set(stateKey(ecwidProductId), hash);
  return { changes, planned, note: `${fetched.length} image(s) written.` };
}
