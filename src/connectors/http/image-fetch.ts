import { createHash } from "node:crypto";
import { Agent, request } from "undici";
import { guardedConnector, upstreamUrlProblem, type UpstreamPolicy } from "./upstream-guard";

/**
 * Fetches product image bytes from a URL a shop gave (an Ecwid image URL, a CCV photo URL): only
 * https (loopback over http when the policy allows sandboxes), every connection judged on its
 * address like the vendor transports (upstream-guard.ts), no redirects, a timeout for the whole
 * download and a size limit enforced while reading (a lying or missing Content-Length does not
 * get past it).
 */

export interface ImageFetchOptions {
  /** largest image accepted, in bytes */
  maxBytes: number;
  /** for connecting, the headers and the whole body together */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface FetchedImage {
  bytes: Buffer;
  /** sha256 hex of the bytes: the content hash "only when changed" is decided on */
  sha256: string;
  /** file extension from the Content-Type (jpg, png, gif, webp) */
  fileType: string;
}

export type ImageProblem = "REFUSED" | "UNREACHABLE" | "TOO_LARGE" | "NOT_AN_IMAGE" | "HTTP_STATUS";

export class ImageFetchError extends Error {
  constructor(
    readonly problem: ImageProblem,
    message: string,
  ) {
    super(message);
    this.name = "ImageFetchError";
  }
}

const TYPES: Record<string, string> = {
  "image/jpeg": "jpg",
  "image/jpg": "jpg",
  "image/png": "png",
  "image/gif": "gif",
  "image/webp": "webp",
};

const agents = new Map<string, Agent>();
function agentFor(policy: UpstreamPolicy, timeoutMs: number): Agent {
  const key = `${policy.allowLocal}/${timeoutMs}${policy.resolve ? `/${Math.random()}` : ""}`;
  let a = agents.get(key);
  if (!a) {
    a = new Agent({
      connect: guardedConnector(policy, timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    agents.set(key, a);
  }
  return a;
}

/** the URL without query and fragment (image URLs may carry signed tokens) */
export const shownUrl = (url: string) => {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url.slice(0, 120);
  }
};

export async function fetchImage(
  url: string,
  policy: UpstreamPolicy,
  o: ImageFetchOptions,
): Promise<FetchedImage> {
  const shown = shownUrl(url);
  const problem = upstreamUrlProblem(url, policy);
  if (problem) throw new ImageFetchError("REFUSED", `image ${shown} ${problem}`);
  const timeout = AbortSignal.timeout(o.timeoutMs);
  const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
  let res: Awaited<ReturnType<typeof request>>;
  try {
    res = await request(url, { method: "GET", dispatcher: agentFor(policy, o.timeoutMs), signal });
  } catch (e) {
    const err = e as Error & { code?: string };
    if (err.code === "EUPSTREAM_REFUSED")
      throw new ImageFetchError("REFUSED", `image ${shown}: ${err.message}`);
    const why = timeout.aborted ? `no answer within ${o.timeoutMs} ms` : err.message;
    throw new ImageFetchError("UNREACHABLE", `image ${shown} could not be fetched: ${why}`);
  }
  // dropping the rest of a body we refuse: undici reports that as an error on the stream, which is expected
  const drain = () => {
    res.body.on("error", () => undefined);
    res.body.destroy();
  };
  if (res.statusCode !== 200) {
    drain();
    throw new ImageFetchError("HTTP_STATUS", `image ${shown} answered HTTP ${res.statusCode}`);
  }
  const type = String(res.headers["content-type"] ?? "")
    .split(";")[0]
    .trim()
    .toLowerCase();
  const fileType = TYPES[type];
  if (!fileType) {
    drain();
    throw new ImageFetchError(
      "NOT_AN_IMAGE",
      `image ${shown} is not a JPEG, PNG, GIF or WebP image (Content-Type "${type}")`,
    );
  }
  const declared = Number(res.headers["content-length"] ?? NaN);
  const tooLarge = () =>
    new ImageFetchError("TOO_LARGE", `image ${shown} is larger than the limit of ${o.maxBytes} bytes`);
  if (Number.isFinite(declared) && declared > o.maxBytes) {
    drain();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > o.maxBytes) {
        drain();
        throw tooLarge();
      }
      chunks.push(chunk as Buffer);
    }
  } catch (e) {
    if (e instanceof ImageFetchError) throw e;
    const why = timeout.aborted ? `not complete within ${o.timeoutMs} ms` : (e as Error).message;
    throw new ImageFetchError("UNREACHABLE", `image ${shown} could not be fetched: ${why}`);
  }
  const bytes = Buffer.concat(chunks);
  return { bytes, sha256: createHash("sha256").update(bytes).digest("hex"), fileType };
}
