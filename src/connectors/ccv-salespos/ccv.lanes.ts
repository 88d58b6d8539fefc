import { CCV_API_PREFIX, CCV_RATE_LIMITS } from "./ccv.vendor-facts";

/**
 * Rate-limit lanes (§4.4): CCV gives each method of each resource its own per-minute budget. A lane
 * is `${METHOD} ${pathTemplate}`, numeric path segments replaced by `{id}`, e.g. "GET /products/{id}",
 * "PATCH /attributecombinations/{id}", "GET /products/{id}/attributecombinations". The connector's
 * budget and the sandbox's limiter key by the same string.
 */

/** The resource path after the API prefix, without query or trailing slash ("/products/12"). */
export function ccvResourcePath(pathOrUri: string): string {
  let p = pathOrUri;
  const q = p.indexOf("?");
  if (q >= 0) p = p.slice(0, q);
  const i = p.indexOf(CCV_API_PREFIX);
  if (i >= 0) p = p.slice(i + CCV_API_PREFIX.length);
  p = p.replace(/\/+$/, "");
  return p === "" ? "/" : p.startsWith("/") ? p : `/${p}`;
}

/** "/products/12/productphotos" → "/products/{id}/productphotos" */
export function ccvPathTemplate(pathOrUri: string): string {
  // every segment of digits only (one replace: this runs twice for every CCV request)
  return ccvResourcePath(pathOrUri).replace(/(?<=\/)\d+(?=\/|$)/g, "{id}");
}

export function ccvLane(method: string, pathOrUri: string): string {
  return `${method.toUpperCase()} ${ccvPathTemplate(pathOrUri)}`;
}

export interface CcvLaneLimits {
  get: number;
  write: number;
  productqueries: number;
}

export const CCV_DEFAULT_LANE_LIMITS: CcvLaneLimits = {
  get: CCV_RATE_LIMITS.GET,
  write: CCV_RATE_LIMITS.WRITE,
  productqueries: CCV_RATE_LIMITS.PRODUCTQUERIES,
};

/** The per-minute limit of a lane: GET 150, writes 100, GET /productqueries 30 (§4.4). */
export function ccvLaneLimit(lane: string, limits: CcvLaneLimits = CCV_DEFAULT_LANE_LIMITS): number {
  const [method, template] = lane.split(" ", 2);
  if (method !== "GET") return limits.write;
  return template === "/productqueries" ? limits.productqueries : limits.get;
}
