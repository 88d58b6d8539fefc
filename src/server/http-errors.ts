import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from "express";
import type { GraphQLSchema } from "graphql";
import type { Logger } from "pino";
import { limitProblems } from "./graphql-limits";

/**
 * Every answer is JSON, also when a request never reaches a handler: an oversized or malformed
 * body (413/400 from the body parsers), an unknown route (404), a failure nobody caught (500).
 * Never Express's HTML page, a stack or a file path. /graphql answers in the GraphQL error shape
 * (`{errors: [{message, extensions: {code}}]}`), the other routes as `{error}`.
 * Client mistakes are logged at info, the gateway's own failures at error.
 */
interface HttpError {
  status?: number;
  statusCode?: number;
  type?: string;
  limit?: number;
  length?: number;
  expose?: boolean;
}

const isGraphql = (req: Request) => req.path === "/graphql" || req.originalUrl.startsWith("/graphql");

export function sendError(
  req: Request,
  res: Response,
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): void {
  if (isGraphql(req)) res.status(status).json({ errors: [{ message, extensions: { code, ...extra } }] });
  else res.status(status).json({ error: message, code, ...extra });
}

export function jsonErrors(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const e = (err ?? {}) as HttpError;
    const status = e.status ?? e.statusCode ?? 500;
    if (e.type === "entity.too.large") {
      logger.info({ reqId: req.id, bytes: e.length, limit: e.limit }, "request body too large");
      // the rest of the body is not worth reading: answer and close the connection
      res.setHeader("Connection", "close");
      return sendError(
        req,
        res,
        413,
        "PAYLOAD_TOO_LARGE",
        `The request body has ${e.length ?? "more than the limit of"} bytes; the limit is ${e.limit} bytes.`,
        { limit: "bodyBytes", max: e.limit, actual: e.length },
      );
    }
    if (e.type === "entity.parse.failed") {
      logger.info({ reqId: req.id }, "request body is not valid JSON");
      return sendError(req, res, 400, "BAD_REQUEST", "The request body is not valid JSON.");
    }
    if (status >= 400 && status < 500) {
      logger.info({ reqId: req.id, status, type: e.type }, "request refused");
      return sendError(req, res, status, "BAD_REQUEST", `The request could not be read (HTTP ${status}).`);
    }
    logger.error({ reqId: req.id, err }, "request failed");
    return sendError(
      req,
      res,
      500,
      "INTERNAL_SERVER_ERROR",
      "Internal error in the gateway; the details are in its log.",
    );
  };
}

export const jsonNotFound: RequestHandler = (req, res) =>
  sendError(
    req,
    res,
    404,
    "NOT_FOUND",
    "There is nothing at this address; see the README for the endpoints.",
  );

/**
 * The shape of a GraphQL-over-HTTP request, checked before Apollo sees it (Apollo answers some
 * malformed requests in plain text): one operation per request, `query` a string, `variables` an
 * object, `operationName` a string.
 */
export const graphqlRequestShape: RequestHandler = (req, res, next) => {
  const b: unknown = req.method === "POST" ? req.body : req.query;
  const problem = (() => {
    if (req.method !== "POST" && req.method !== "GET") return null;
    if (Array.isArray(b)) return "Batched requests are not supported: send one operation per request.";
    if (!b || typeof b !== "object") return "The body must be a JSON object with a query.";
    const o = b as Record<string, unknown>;
    if (typeof o.query !== "string" || o.query.trim() === "")
      return 'The request needs a "query" string holding the GraphQL document.';
    if (req.method === "POST" && o.variables !== undefined && o.variables !== null) {
      if (typeof o.variables !== "object" || Array.isArray(o.variables))
        return '"variables" must be a JSON object.';
    }
    if (o.operationName !== undefined && o.operationName !== null && typeof o.operationName !== "string")
      return '"operationName" must be a string.';
    return null;
  })();
  if (!problem) return next();
  return sendError(req, res, 400, "BAD_REQUEST", problem);
};

/**
 * The limits of graphql-limits.ts, checked before Apollo sees the request: Apollo runs graphql's
 * own validation first, and one of its rules is quadratic in repeated fields, so an abusive
 * document must be refused before it. Parse errors are left to Apollo, which reports them.
 */
export function graphqlLimits(
  schema: GraphQLSchema,
  logger: Logger,
  onRefused: (req: Request) => void = () => undefined,
): RequestHandler {
  return (req, res, next) => {
    const b = (req.method === "POST" ? req.body : req.query) as Record<string, unknown>;
    let variables = b.variables as Record<string, unknown> | string | undefined | null;
    if (typeof variables === "string") {
      try {
        variables = JSON.parse(variables) as Record<string, unknown>;
      } catch {
        return next();
      }
    }
    const problems = limitProblems(
      schema,
      String(b.query),
      variables as Record<string, unknown> | null | undefined,
      typeof b.operationName === "string" ? b.operationName : undefined,
    );
    if (!problems) return next();
    logger.info({ reqId: req.id, limit: problems[0].extensions.limit }, "operation over a limit refused");
    onRefused(req);
    res.status(400).json({
      errors: problems.map((e) => ({
        message: e.message,
        extensions: { code: "GRAPHQL_VALIDATION_FAILED", ...e.extensions },
      })),
    });
  };
}

/**
 * A body announced larger than `limit` is refused before a byte of it is read (body-parser would
 * read it all to throw it away), and the connection is closed rather than drained. Bodies sent
 * without a length are cut at the limit by the parser itself.
 */
export function refuseOversized(
  limit: number,
  logger: Logger,
  onRefused: (req: Request) => void = () => undefined,
): RequestHandler {
  return (req, res, next) => {
    const announced = Number(req.headers["content-length"] ?? NaN);
    if (!Number.isFinite(announced) || announced <= limit) return next();
    logger.info({ reqId: req.id, bytes: announced, limit }, "request body too large");
    onRefused(req);
    res.setHeader("Connection", "close");
    sendError(
      req,
      res,
      413,
      "PAYLOAD_TOO_LARGE",
      `The request body has ${announced} bytes; the limit is ${limit} bytes.`,
      { limit: "bodyBytes", max: limit, actual: announced },
    );
  };
}
