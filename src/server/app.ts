import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { unwrapResolverError } from "@apollo/server/errors";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import type { DataSource } from "typeorm";
import { WebSocketServer } from "ws";
import { AppError } from "../common/errors";
import { createLogger, type Logger } from "../common/logger";
import { SecretBox } from "../common/crypto";
import type { GatewayConfig } from "../config/config";
import { resolveAdminToken, resolveEncryptionKey } from "../config/local-secrets";
import { isMigrated, openDatabase } from "../db/data-source";
import { deadlineIn, lazyLoaders, type GatewayContext } from "../resolvers/context";
import type { Services } from "../services";
import { createEngine, type Engine, type EngineOptions } from "./container";
import { webhookRouter } from "./webhooks";
import { bearerOf, requestObserver } from "./http";
import {
  asksForSchema,
  GRAPHQL_LIMITS,
  introspectionRefused,
  PARSE_OPTIONS,
  prepareOperation,
  withoutSuggestions,
} from "./graphql-limits";
import { graphqlLimits, graphqlRequestShape, jsonErrors, jsonNotFound, refuseOversized } from "./http-errors";
import { operationLabel } from "./known-operations";
import { KeyRateLimits, rateLimitMessage, type RateDecision } from "./rate-limits";
import { GatewayMetrics } from "./metrics";
import { consoleRouter } from "./console";
import { homeRouter } from "./home";
import { playgroundRouter } from "./playground";
import { buildGatewaySchema } from "./schema";

export interface GatewayHandle {
  /** http://host:port of the API (also the WebSocket endpoint at /graphql) */
  url: string;
  port: number;
  config: Readonly<GatewayConfig>;
  dataSource: DataSource;
  services: Services;
  metrics: GatewayMetrics;
  logger: Logger;
  engine: Engine;
  /** the admin token, when this start generated it (printed once by main) */
  generatedAdminToken?: string;
  /** graceful shutdown: stop accepting, drain HTTP, close WebSockets, finish jobs, close the database */
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  engine?: EngineOptions;
  /** called for every SQL statement (benchmarks) */
  onQuery?: (sql: string) => void;
  /** the execution timeout of queries and mutations (default GRAPHQL_LIMITS.executionMs; tests shorten it) */
  graphqlTimeoutMs?: number;
}

/** Codes whose messages are written for users; anything else is reported as an internal error. */
const PASS_THROUGH = new Set([
  "UNAUTHENTICATED",
  "RATE_LIMITED",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
]);

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof AppError) {
    return {
      message: original.message,
      path: formatted.path,
      locations: formatted.locations,
      extensions: original.extensions,
    };
  }
  const code = formatted.extensions?.code;
  if (typeof code === "string" && PASS_THROUGH.has(code)) return formatted;
  return {
    message: "Internal error in the gateway; the details are in its log.",
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: "INTERNAL_SERVER_ERROR" },
  };
}

function observabilityPlugin(metrics: GatewayMetrics, logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async didEncounterErrors(rc) {
          for (const err of rc.errors) {
            const original = unwrapResolverError(err);
            if (!(original instanceof AppError) && !PASS_THROUGH.has(String(err.extensions?.code))) {
              logger.error(
                { reqId: rc.contextValue.requestId, err: original, path: err.path },
                "graphql resolver failed",
              );
            }
          }
        },
        async willSendResponse(rc) {
          const type = rc.operation?.operation ?? "unknown";
          // a closed label set: client-chosen names would grow /metrics without bound
          const name = operationLabel(rc.operationName);
          const failed =
            (rc.errors?.length ?? 0) > 0 ||
            (rc.response.body.kind === "single" && !!rc.response.body.singleResult.errors);
          metrics.graphqlOperations.inc({ type, name, outcome: failed ? "error" : "ok" });
          metrics.graphqlDuration.observe({ type, name }, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}

const httpStatus = (status: number) => ({ http: { status } });

/**
 * The checks Apollo's own pipeline has no place for: subscriptions belong on WebSocket, and the
 * schema is shown to authenticated callers only (introspection, and "Did you mean …?" suggestions).
 */
function guardPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(rc) {
          if (rc.operation?.operation === "subscription") {
            logger.info({ reqId: rc.contextValue.requestId }, "subscription sent over HTTP refused");
            throw new GraphQLError(
              "Subscriptions are served over WebSocket at /graphql (protocol graphql-transport-ws), not over HTTP POST.",
              { extensions: { code: "BAD_REQUEST", ...httpStatus(400) } },
            );
          }
          if (!rc.contextValue.principal && asksForSchema(rc.document)) {
            const e = introspectionRefused();
            Object.assign(e.extensions, httpStatus(401));
            throw e;
          }
        },
        async willSendResponse(rc) {
          if (rc.contextValue.principal || rc.response.body.kind !== "single") return;
          const errors = rc.response.body.singleResult.errors;
          if (errors) {
            rc.response.body.singleResult.errors = errors.map((e) => ({
              ...e,
              message: withoutSuggestions(e.message),
            }));
          }
        },
      };
    },
  };
}

const retryAfterSeconds = (d: Extract<RateDecision, { ok: false }>) =>
  Math.max(1, Math.ceil(d.retryAfterMs / 1000));

export async function startGateway(
  config: Readonly<GatewayConfig>,
  opts: StartOptions = {},
): Promise<GatewayHandle> {
  const logger = opts.logger ?? createLogger({ level: config.logLevel, pretty: config.prettyLogs });
  const adminToken = resolveAdminToken(config);
  const box = new SecretBox(resolveEncryptionKey(config), config.previousEncryptionKeys);
  const dataSource = await openDatabase(config.database, { onQuery: opts.onQuery });
  const metrics = new GatewayMetrics();
  const engine = createEngine({
    config,
    ds: dataSource,
    box,
    adminTokenHash: adminToken.hash,
    logger,
    metrics,
    options: opts.engine,
  });
  const services: Services = engine.services;

  const rateLimits = new KeyRateLimits(config.rateLimits, engine.redis, config.redisPrefix);
  // a request refused for a limit counts REFUSAL_PENALTY requests of its caller's budget
  const penalize = (req: express.Request) =>
    void rateLimits.penalize(req.principal, req.socket.remoteAddress);
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", false);
  const httpServer = http.createServer(app);
  app.use(requestObserver(logger, metrics));

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    try {
      await dataSource.query("SELECT 1");
      const migrated = await isMigrated(dataSource);
      const redis = config.redisUrl ? ((await engine.redisReady()) ? "ok" : "unreachable") : undefined;
      const ready = migrated && redis !== "unreachable";
      res.status(ready ? 200 : 503).json({
        status: ready ? "ready" : migrated ? "redis unreachable" : "migrations pending",
        database: "ok",
        ...(redis ? { redis } : {}),
      });
    } catch (e) {
      logger.warn({ err: e }, "readiness check failed");
      res.status(503).json({ status: "not ready", database: "unreachable" });
    }
  });
  app.get("/metrics", async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  let wsCleanup: { dispose: () => void | Promise<void> } | undefined;
  let apollo: ApolloServer<GatewayContext> | undefined;

  if (config.role !== "worker") {
    const schema = await buildGatewaySchema();
    // ws closes a connection whose message is larger (close code 1009) before anything parses it
    const wss = new WebSocketServer({
      server: httpServer,
      path: "/graphql",
      maxPayload: GRAPHQL_LIMITS.wsMessageBytes,
    });
    // registered before graphql-ws's own listener: a message over the limit is a client mistake
    // (ws has already closed the socket with 1009); graphql-ws would print it as an internal error
    wss.on("connection", (socket) => {
      const emit = socket.emit.bind(socket);
      socket.emit = ((event: string, ...args: unknown[]) => {
        if (
          event === "error" &&
          (args[0] as { code?: string })?.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH"
        ) {
          logger.info(
            { limit: GRAPHQL_LIMITS.wsMessageBytes },
            "WebSocket message over the size limit; closed",
          );
          return true;
        }
        return emit(event, ...args);
      }) as typeof socket.emit;
    });
    wsCleanup = useServer<{ authorization?: string }, { principal?: GatewayContext["principal"] }>(
      {
        schema,
        onConnect: async (ctx) => {
          const raw = ctx.connectionParams?.authorization;
          const principal = await services.tenancy.authenticate(
            bearerOf(typeof raw === "string" ? raw : undefined),
          );
          if (!principal) return false; // closes with 4403 Forbidden
          ctx.extra.principal = principal;
          return true;
        },
        // the same limits as over HTTP, decided before the subscription starts
        onSubscribe: async (ctx, _id, payload) => {
          const decision = await rateLimits.take(ctx.extra.principal, ctx.extra.request.socket.remoteAddress);
          if (!decision.ok) {
            logger.info({ who: decision.who }, "subscription rate limited");
            return [
              new GraphQLError(rateLimitMessage(decision), {
                extensions: { code: "RATE_LIMITED", retryAfterSeconds: retryAfterSeconds(decision) },
              }),
            ];
          }
          if (Object.keys(ctx.subscriptions).length >= GRAPHQL_LIMITS.subscriptionsPerConnection) {
            return [
              new GraphQLError(
                `This connection already has ${GRAPHQL_LIMITS.subscriptionsPerConnection} active subscriptions, the limit; complete one first or open another connection.`,
                { extensions: { code: "GRAPHQL_VALIDATION_FAILED", limit: "subscriptionsPerConnection" } },
              ),
            ];
          }
          const prepared = prepareOperation(schema, payload.query, payload.variables, payload.operationName);
          if ("errors" in prepared) {
            if (prepared.errors.some((e) => e.extensions.limit !== undefined))
              void rateLimits.penalize(ctx.extra.principal, ctx.extra.request.socket.remoteAddress);
            return prepared.errors;
          }
          return {
            schema,
            document: prepared.document,
            variableValues: payload.variables ?? undefined,
            operationName: payload.operationName ?? undefined,
          };
        },
        context: (ctx): GatewayContext => ({
          requestId: `ws-${Date.now().toString(36)}`,
          principal: ctx.extra.principal,
          services,
          loaders: lazyLoaders(services),
        }),
      },
      wss,
    );
    apollo = new ApolloServer<GatewayContext>({
      schema,
      // Auth is by bearer token only (no cookies), so cross-site requests cannot borrow a
      // session; GET /graphql must work for plain clients without preflight headers.
      csrfPrevention: false,
      // main.ts owns SIGINT/SIGTERM and shuts everything down in order (Apollo's own handler
      // would stop the server behind our back and re-raise the signal)
      stopOnTerminationSignals: false,
      includeStacktraceInErrorResponses: false,
      formatError,
      // limits decided before execution (graphql-limits.ts): checked by graphqlLimits before
      // Apollo; the token limit is kept on Apollo's parser too
      parseOptions: PARSE_OPTIONS,
      plugins: [
        ApolloServerPluginDrainHttpServer({ httpServer }),
        ApolloServerPluginLandingPageDisabled(),
        observabilityPlugin(metrics, logger),
        guardPlugin(logger),
        {
          async serverWillStart() {
            return {
              async drainServer() {
                await wsCleanup?.dispose();
              },
            };
          },
        },
      ],
    });
    await apollo.start();
    app.use(homeRouter());
    app.use(playgroundRouter());
    app.use(consoleRouter());
    app.use(webhookRouter(services, logger));
    app.use(
      "/graphql",
      // who is calling, and whether they may send one more request, before the body is read
      async (req, res, next) => {
        try {
          req.principal = await services.tenancy.authenticate(bearerOf(req.header("authorization")));
          const d = await rateLimits.take(req.principal, req.socket.remoteAddress);
          if (d.ok) return next();
          logger.info({ reqId: req.id, who: d.who }, "request rate limited");
          res.setHeader("Retry-After", String(retryAfterSeconds(d)));
          // the body was not read and will not be: close rather than drain it
          res.setHeader("Connection", "close");
          res.status(429).json({
            errors: [
              {
                message: rateLimitMessage(d),
                extensions: { code: "RATE_LIMITED", retryAfterSeconds: retryAfterSeconds(d) },
              },
            ],
          });
        } catch (e) {
          next(e);
        }
      },
      refuseOversized(GRAPHQL_LIMITS.bodyBytes, logger, penalize),
      express.json({ limit: GRAPHQL_LIMITS.bodyBytes }),
      graphqlRequestShape,
      graphqlLimits(schema, logger, penalize),
      expressMiddleware(apollo, {
        context: async ({ req }): Promise<GatewayContext> => {
          const deadline = deadlineIn(opts.graphqlTimeoutMs ?? GRAPHQL_LIMITS.executionMs);
          return {
            requestId: req.id,
            principal: req.principal,
            services,
            loaders: lazyLoaders(services, deadline.signal),
            deadline,
          };
        },
      }),
    );
  }
  app.use(jsonNotFound);
  app.use(jsonErrors(logger));

  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  if (config.role !== "api") await engine.startWorker();
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  engine.registrar.publicUrl = config.publicUrl ?? url;
  logger.info({ url, role: config.role, database: config.database.kind }, "gateway started");

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      logger.info("gateway stopping");
      if (apollo) await apollo.stop();
      else await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      // running jobs finish their current item; the rest stays queued for the next start
      await engine.close();
      await dataSource.destroy();
      logger.info("gateway stopped");
    })());

  return {
    url,
    port,
    config,
    dataSource,
    services,
    metrics,
    logger,
    engine,
    generatedAdminToken: adminToken.generated,
    close,
  };
}
