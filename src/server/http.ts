import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";
import type { Principal } from "../services/principal";
import type { GatewayMetrics } from "./metrics";

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

declare module "express-serve-static-core" {
  interface Request {
    id: string;
    /** /graphql: the caller, authenticated once before the body is read */
    principal?: Principal;
  }
}

/**
 * Request ids (taken from X-Request-Id when well-formed, else generated), one access-log line per
 * request without headers or bodies (credentials never reach the log), and HTTP metrics by route.
 */
export function requestObserver(logger: Logger, metrics: GatewayMetrics) {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.header("x-request-id");
    req.id = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader("X-Request-Id", req.id);
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const route = routeLabel(req);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const method = METHODS.has(req.method) ? req.method : "other";
      metrics.httpRequests.inc({ method, route, status: String(res.statusCode) });
      metrics.httpDuration.observe({ method, route }, seconds);
      logger.info(
        { reqId: req.id, method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000) },
        "http request",
      );
    });
    next();
  };
}

/** label values come from closed sets: methods here, routes below */
const METHODS = new Set(["GET", "POST", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"]);

/** a bounded label: the route pattern, never the raw path (ids would explode the series) */
function routeLabel(req: Request): string {
  const p = req.originalUrl.split("?")[0];
  if (p === "/graphql") return "/graphql";
  if (p.startsWith("/webhooks/ecwid/")) return "/webhooks/ecwid/:integrationId";
  if (p.startsWith("/webhooks/ccv/")) return "/webhooks/ccv/:integrationId/:event";
  if (p.startsWith("/playground")) return "/playground";
  if (p === "/app" || p.startsWith("/app/")) return "/app";
  if (["/healthz", "/readyz", "/metrics"].includes(p)) return p;
  return "other";
}

export function bearerOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  return m ? m[1].trim() : undefined;
}
