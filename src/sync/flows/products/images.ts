import { fetchImage, ImageFetchError, shownUrl, type FetchedImage } from "../../../connectors/http";
import type { EcwidProduct } from "../../../connectors/ecwid";
import type { CcvProductPhoto } from "../../../connectors/ccv-salespos/ccv.types";
import { CCV_PHOTO_DEEPLINKS_STABLE } from "../../../connectors/ccv-salespos/ccv.vendor-facts";
import { ECWID_UPLOADED_IMAGE_URLS_STABLE } from "../../../connectors/ecwid/ecwid.vendor-facts";
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

/**
 * Echoes: after writing one side's images to the other, a direction records the other side's
 * images as it left them (their URLs, main flag and alt text: what the other direction reads
 * without a download) under the other direction's echo key. The other direction then takes those
 * images as unchanged without fetching them and never sends them back as new photos or uploads,
 * also when the product changes later for another reason. Any other image (a new URL) is compared
 * by content as before.
 */
const echoToCcvKey = (ecwidProductId: string) => `img-echo:${ecwidProductId}`;
const echoToEcwidKey = (ccvProductId: string) => `img-to-ecwid-echo:${ccvProductId}`;
const refsKey = (refs: ImageRef[]): string => hashOf(refs.map((r) => [r.url, r.main, r.alt]));

/**
 * Fetches every image through the upstream guard (https or the vendors' own hosts, a timeout, the
 * size limit). The first image that cannot be fetched ends it with a failure naming it and why.
 */
async function fetchImages(
  rt: FlowRuntime,
  refs: ImageRef[],
): Promise<{ fetched: (FetchedImage & ImageRef)[] } | { failure: string }> {
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
          failure: `The product's ${r.main ? "main image" : "gallery image"} was not taken over: ${e.message}.`,
        };
      throw e;
    }
  }
  return { fetched };
}

/**
 * Both directions' step before a write: fetch the source images, hash them, and plan the write —
 * or the item's answer when an image cannot be fetched or the content is what was last written.
 */
async function fetchAndPlan(
  rt: FlowRuntime,
  refs: ImageRef[],
  stored: string | undefined,
): Promise<
  | ImageSync
  | {
      fetched: (FetchedImage & ImageRef)[];
      hash: string;
      planned: NonNullable<ImageSync["planned"]>;
      changes: ImageSync["changes"];
    }
> {
  const got = await fetchImages(rt, refs);
  if ("failure" in got) return { changes: [], note: null, failure: got.failure };
  const fetched = got.fetched;
  const hash = imagesHash(fetched);
  if (hash === stored) return { changes: [], note: "Images unchanged." };
  const planned = fetched.map((f) => ({
    url: shownUrl(f.url),
    bytes: f.bytes.length,
    sha256: f.sha256,
    main: f.main,
  }));
  const changes = [
    { field: "images", before: stored ? "other images" : null, after: planned.map((x) => x.url) },
  ];
  return { fetched, hash, planned, changes };
}

/** the content hash of a product's images: bytes, order, main flag and alt text */
const imagesHash = (fetched: (FetchedImage & ImageRef)[]): string =>
  hashOf(fetched.map((f) => [f.sha256, f.main, f.alt])).slice(0, 64);
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
  // the images the gateway itself put in Ecwid from CCV: not sent back
  if (
    ECWID_UPLOADED_IMAGE_URLS_STABLE &&
    (await rt.state.get(echoToCcvKey(ecwidProductId))) === refsKey(refs)
  )
    return { changes: [], note: "Images unchanged." };
  const fetchedPlan = await fetchAndPlan(rt, refs, stored);
  if (!("fetched" in fetchedPlan)) return fetchedPlan;
  const { fetched, hash, planned, changes } = fetchedPlan;
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
  // CCV's photos as the gateway left them: PRODUCTS_CCV_TO_ECWID does not upload them back
  const photos = await rt.clients.ccv.listProductPhotos(ccvProductId);
  await rt.state.set(echoToEcwidKey(String(ccvProductId)), refsKey(ccvImageUrls(photos)));
  await rt.state.set(echoToCcvKey(ecwidProductId), "");
  return { changes, planned, note: `${fetched.length} image(s) written.` };
}

// ---------------------------------------------------------------------------------------------
// CCV → Ecwid: the product photos (CCV §5.2, each with its file URL in `deeplink`) become the
// Ecwid main image and gallery (Ecwid §6.1), uploaded as bytes only when their content changed.

/** main photo first, then the others in CCV's order; photos without a file URL are left out */
export function ccvImageUrls(photos: CcvProductPhoto[]): ImageRef[] {
  const sorted = [...photos].sort((a, b) => Number(b.is_mainphoto) - Number(a.is_mainphoto) || a.id - b.id);
  const out: ImageRef[] = [];
  for (const p of sorted)
    if (p.deeplink) out.push({ url: p.deeplink, main: out.length === 0, alt: p.alttext ?? null });
  return out;
}

const ccvStateKey = (ccvProductId: string) => `img-to-ecwid:${ccvProductId}`;

const MIME: Record<string, string> = {
  jpg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  webp: "image/webp",
};

export async function syncImagesToEcwid(
  rt: FlowRuntime,
  ecwidProductId: number | null,
  ccvProductId: string,
  photos: CcvProductPhoto[],
): Promise<ImageSync> {
  const refs = ccvImageUrls(photos);
  const stored = await rt.state.get(ccvStateKey(ccvProductId));
  if (!refs.length) {
    // images the gateway put there are removed with CCV's; an Ecwid product it never gave images keeps its own
    if (stored === undefined || stored === NO_IMAGES) return { changes: [], note: null };
    if (!rt.dryRun && ecwidProductId !== null) {
      await rt.clients.ecwid.deleteProductImage(ecwidProductId, rt.signal);
      await rt.clients.ecwid.deleteGalleryImages(ecwidProductId, undefined, rt.signal);
      await rt.state.set(ccvStateKey(ccvProductId), NO_IMAGES);
    }
    return { changes: [{ field: "images", before: "synced images", after: [] }], planned: [], note: null };
  }
  // the photos the gateway itself put in CCV from Ecwid: not uploaded back
  if (CCV_PHOTO_DEEPLINKS_STABLE && (await rt.state.get(echoToEcwidKey(ccvProductId))) === refsKey(refs))
    return { changes: [], note: "Images unchanged." };
  const fetchedPlan = await fetchAndPlan(rt, refs, stored);
  if (!("fetched" in fetchedPlan)) return fetchedPlan;
  const { fetched, hash, planned, changes } = fetchedPlan;
  if (rt.dryRun || ecwidProductId === null) return { changes, planned, note: null };
  const ecwid = rt.clients.ecwid;
  const upload = (f: FetchedImage) => ({ bytes: f.bytes, contentType: MIME[f.fileType] ?? "image/jpeg" });
  const [main, ...gallery] = fetched;
  await ecwid.uploadProductImage(ecwidProductId, upload(main), rt.signal);
  await ecwid.deleteGalleryImages(ecwidProductId, undefined, rt.signal);
  for (const g of gallery) await ecwid.uploadGalleryImage(ecwidProductId, upload(g), rt.signal);
  await rt.state.set(ccvStateKey(ccvProductId), hash);
  // Ecwid's images as the gateway left them: PRODUCTS_ECWID_TO_CCV does not send them back
  const after = await ecwid.getProduct(ecwidProductId);
  await rt.state.set(echoToCcvKey(String(ecwidProductId)), refsKey(ecwidImageUrls(after)));
  await rt.state.set(echoToEcwidKey(ccvProductId), "");
  return { changes, planned, note: `${fetched.length} image(s) written.` };
}
