import dns from "node:dns";
import net, { type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { buildConnector } from "undici";

/**
 * Which upstream addresses the gateway may connect to (contract README "Vendor base URLs"): a
 * workspace ADMIN chooses vendor base URLs, so without this the gateway would be a port scanner of
 * its own network. The judgement is made on the address actually connected to, at connect time
 * (after DNS, so a name that resolves, or later re-resolves, to an inside address is refused), and
 * on literal addresses in any spelling the URL parser accepts (`127.1`, `2130706433`, `0x7f.1`,
 * `[::ffff:127.0.0.1]`). Redirects are never followed (undici's `request` does not by default), so
 * every connection goes through this check. One reusable piece: the vendor transports use it, and
 * anything else that fetches a user-given URL (product images) must too.
 */
export interface UpstreamPolicy {
  /** GATEWAY_ALLOW_LOCAL_UPSTREAMS: loopback hosts (127.0.0.0/8, localhost, ::1) allowed, over http too */
  allowLocal: boolean;
  /** name resolution (default: the system resolver); tests stand in for DNS with it */
  resolve?: (hostname: string) => Promise<{ address: string; family: number }[]>;
}

export const STRICT_UPSTREAMS: UpstreamPolicy = { allowLocal: false };
/** what GATEWAY_ALLOW_LOCAL_UPSTREAMS=true gives: the sandboxes on loopback stand in for the vendors */
export const LOCAL_UPSTREAMS: UpstreamPolicy = { allowLocal: true };

/** A connection the gateway refused to make; never retried (the address will not change by itself). */
export class UpstreamRefused extends Error {
  readonly code = "EUPSTREAM_REFUSED";
  constructor(readonly reason: string) {
    super(reason);
    this.name = "UpstreamRefused";
  }
}

const RANGE_WORDS: Record<string, string> = {
  loopback: "a loopback address",
  private: "a private network address",
  linkLocal: "a link-local address (cloud metadata services live there)",
  uniqueLocal: "a private network address",
  unspecified: "an unspecified address",
  broadcast: "a broadcast address",
  multicast: "a multicast address",
  carrierGradeNat: "a shared (carrier-grade NAT) address",
  reserved: "a reserved address",
};

const stripBrackets = (h: string) => (h.startsWith("[") && h.endsWith("]") ? h.slice(1, -1) : h);

/** null when the gateway may connect to this IP address, else why not (in words) */
export function addressProblem(ip: string, policy: UpstreamPolicy): string | null {
  const raw = stripBrackets(ip);
  if (!ipaddr.isValid(raw)) return `${raw} is not an IP address`;
  let a = ipaddr.parse(raw);
  if (a.kind() === "ipv6" && (a as ipaddr.IPv6).isIPv4MappedAddress()) a = (a as ipaddr.IPv6).toIPv4Address();
  const range = a.range();
  if (range === "unicast") return null;
  if (range === "loopback" && policy.allowLocal) return null;
  const words = RANGE_WORDS[range] ?? `a special-purpose address (${range})`;
  const hint =
    range === "loopback" ? " (GATEWAY_ALLOW_LOCAL_UPSTREAMS=true allows loopback for sandboxes)" : "";
  return `${a.toString()} is ${words}; the gateway only connects to public addresses${hint}`;
}

const isLocalName = (host: string) => host === "localhost" || host.endsWith(".localhost");

function isLoopbackHost(hostname: string): boolean {
  const h = stripBrackets(hostname);
  if (isLocalName(h.toLowerCase())) return true;
  if (!ipaddr.isValid(h)) return false;
  let a = ipaddr.parse(h);
  if (a.kind() === "ipv6" && (a as ipaddr.IPv6).isIPv4MappedAddress()) a = (a as ipaddr.IPv6).toIPv4Address();
  return a.range() === "loopback";
}

/**
 * The URL-level judgement (scheme, credentials, literal addresses, local names), used when a base
 * URL is saved and before every request; names are judged again on their resolved address at
 * connect time. Returns why the URL is refused, or null.
 */
export function upstreamUrlProblem(raw: string, policy: UpstreamPolicy): string | null {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return "is not an absolute URL such as https://myshop.example.com";
  }
  const loopback = isLoopbackHost(u.hostname);
  if (u.protocol !== "https:" && !(u.protocol === "http:" && loopback && policy.allowLocal)) {
    return policy.allowLocal
      ? "must use https:// (plain http:// only for loopback hosts: localhost, 127.0.0.1, ::1)"
      : "must use https://";
  }
  if (u.username || u.password) return "must not contain a user name or password";
  const host = stripBrackets(u.hostname);
  if (net.isIP(host)) {
    const p = addressProblem(host, policy);
    return p ? `points at an address the gateway does not connect to: ${p}` : null;
  }
  if (isLocalName(host.toLowerCase()) && !policy.allowLocal) {
    return `points at ${host}, a loopback host; the gateway only connects to public addresses (GATEWAY_ALLOW_LOCAL_UPSTREAMS=true allows loopback for sandboxes)`;
  }
  return null;
}

/** scheme and authority: all of a URL that upstreamUrlProblem judges (path, query and fragment never matter) */
const SCHEME_AND_AUTHORITY = /^\s*[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/;
const verdicts = new WeakMap<UpstreamPolicy, Map<string, string | null>>();
const VERDICTS_MAX = 1_000;

/**
 * upstreamUrlProblem for the transport's every request: the verdict depends only on the scheme
 * and authority, so it is judged once per base URL and policy (parsing the URL and the address
 * each time cost about 80 µs a request). A URL without "scheme://" is judged in full.
 */
export function upstreamUrlProblemOf(raw: string, policy: UpstreamPolicy): string | null {
  const prefix = SCHEME_AND_AUTHORITY.exec(raw)?.[0];
  if (prefix === undefined) return upstreamUrlProblem(raw, policy);
  let known = verdicts.get(policy);
  if (!known) verdicts.set(policy, (known = new Map()));
  const hit = known.get(prefix);
  if (hit !== undefined) return hit;
  const problem = upstreamUrlProblem(prefix, policy);
  if (known.size >= VERDICTS_MAX) known.clear();
  known.set(prefix, problem);
  return problem;
}

const systemResolve = async (hostname: string) =>
  dns.promises.lookup(hostname, { all: true, verbatim: true });

/** A `lookup` for net/tls.connect that refuses names resolving to any address the policy refuses. */
export function guardedLookup(policy: UpstreamPolicy): LookupFunction {
  const resolve = policy.resolve ?? systemResolve;
  return (hostname, options, callback) => {
    resolve(hostname)
      .then((all) => {
        const wanted =
          options.family === 4 || options.family === 6 ? all.filter((a) => a.family === options.family) : all;
        if (wanted.length === 0)
          throw Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" });
        for (const a of wanted) {
          const p = addressProblem(a.address, policy);
          if (p)
            throw new UpstreamRefused(
              `${hostname} resolves to an address the gateway does not connect to: ${p}`,
            );
        }
        if (options.all) callback(null, wanted);
        else callback(null, wanted[0].address, wanted[0].family);
      })
      .catch((e: NodeJS.ErrnoException) => callback(e, "", 0));
  };
}

/** An undici connector that judges literal addresses itself and names through guardedLookup. */
export function guardedConnector(policy: UpstreamPolicy, timeoutMs: number): buildConnector.connector {
  const base = buildConnector({ timeout: timeoutMs, lookup: guardedLookup(policy) });
  return (opts, callback) => {
    const host = stripBrackets(opts.hostname);
    if (net.isIP(host)) {
      const p = addressProblem(host, policy);
      if (p) return callback(new UpstreamRefused(p), null);
    }
    return base(opts, callback);
  };
}
