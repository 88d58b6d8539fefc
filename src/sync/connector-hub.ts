import type { DataSource } from "typeorm";
import type { Logger } from "pino";
import { CcvClient, type CcvClientOptions, type CustomerEmailIndex } from "../connectors/ccv-salespos";
import { EcwidClient, type EcwidClientOptions } from "../connectors/ecwid";
import {
  AuthCircuit,
  SharedRateBudget,
  type ConnectorDeps,
  type RateBudget,
  type RequestObservation,
  type UpstreamPolicy,
} from "../connectors/http";
import { CcvCustomerIndexEntity, SyncCursorEntity } from "../db/entities/infra.entity";
import { FastSql } from "../db/fast-sql";
import type { SystemKind } from "../domain/system";
import type { IntegrationSecrets } from "../services/integration.service";
import type { IntegrationClients } from "./engine/flow-definition";
import type { ClientOptions } from "./engine/runtime";

export interface ConnectorHubOptions {
  /** transport overrides (tests use short timeouts) */
  transport?: ConnectorDeps["transport"];
  ecwid?: EcwidClientOptions;
  ccv?: CcvClientOptions;
  /** a shared budget (Redis-backed when several processes share credentials) */
  budget?: RateBudget;
  observe?: (o: RequestObservation) => void;
  /** which upstream addresses may be connected to (GATEWAY_ALLOW_LOCAL_UPSTREAMS) */
  upstreams?: UpstreamPolicy;
  /** per-integration observations of requests and of rate-budget waits (metrics, budget alerts) */
  lanes?: LaneObserver;
}

export interface LaneObserver {
  request(integrationId: string, o: RequestObservation): void;
  budget(integrationId: string, system: SystemKind, lane: string, perMinute: number, waitedMs: number): void;
}

/** What a client is built for; `integrationId`: whose lanes its requests count on (absent for credentials not saved yet). */
export type HubClientOptions = ClientOptions & { integrationId?: string };

/** a bare boolean is `readOnly` */
const optionsOf = (o: HubClientOptions | boolean): HubClientOptions =>
  typeof o === "boolean" ? { readOnly: o } : o;

/**
 * Builds vendor clients for integrations with the process-wide shared state: one rate budget and
 * one auth circuit per process (keyed by credential fingerprints), so every run, webhook and read
 * that uses a token spends from the same budget.
 */
export class ConnectorHub {
  readonly budget: RateBudget;
  readonly circuit = new AuthCircuit();

  constructor(
    private readonly ds: DataSource,
    private readonly secrets: (integrationId: string) => Promise<IntegrationSecrets>,
    private readonly logger: Logger,
    private readonly opts: ConnectorHubOptions = {},
  ) {
    this.budget = opts.budget ?? new SharedRateBudget();
  }

  private deps(o: HubClientOptions, system: SystemKind): ConnectorDeps {
    const { integrationId } = o;
    const lanes = integrationId ? this.opts.lanes : undefined;
    const observe = this.opts.observe;
    return {
      budget: lanes
        ? observedBudget(this.budget, (lane, perMinute, waitedMs) =>
            lanes.budget(integrationId!, system, lane, perMinute, waitedMs),
          )
        : this.budget,
      circuit: this.circuit,
      logger: this.logger,
      observe:
        lanes || observe
          ? (r) => {
              observe?.(r);
              lanes?.request(integrationId!, r);
            }
          : undefined,
      transport: {
        upstreams: this.opts.upstreams,
        ...(this.opts.transport ?? {}),
        readOnly: o.readOnly,
        share: o.purpose === "reads" ? "reads" : undefined,
        signal: o.signal,
        onWait: o.onWait,
      },
    };
  }

  clients = async (integrationId: string, o: ClientOptions): Promise<IntegrationClients> => {
    const s = await this.secrets(integrationId);
    return this.clientsFor(s, {
      ...o,
      integrationId,
      emailIndex: new DbCustomerEmailIndex(this.ds, integrationId),
    });
  };

  /** clients for credentials as given */
  clientsFor(
    s: Pick<IntegrationSecrets, "ecwid" | "ccv">,
    o: HubClientOptions & { emailIndex?: CustomerEmailIndex },
  ): IntegrationClients {
    return { ecwid: this.ecwidFor(s.ecwid, o), ccv: this.ccvFor(s.ccv, o, o.emailIndex) };
  }

  ecwidFor(e: IntegrationSecrets["ecwid"], o: HubClientOptions | boolean): EcwidClient {
    return new EcwidClient(
      { storeId: e.storeId, token: e.token, clientSecret: e.clientSecret, apiBaseUrl: e.apiBaseUrl },
      this.deps(optionsOf(o), "ECWID"),
      this.opts.ecwid,
    );
  }

  /** without an e-mail index (a check of credentials before they are saved) the client keeps one in memory */
  ccvFor(
    c: IntegrationSecrets["ccv"],
    o: HubClientOptions | boolean,
    emailIndex?: CustomerEmailIndex,
  ): CcvClient {
    return new CcvClient(
      {
        baseUrl: c.baseUrl,
        publicKey: c.publicKey,
        secretKey: c.secretKey,
        salesPos: c.salesPos ?? undefined,
      },
      { ...this.deps(optionsOf(o), "CCV_SALESPOS"), emailIndex },
      this.opts.ccv,
    );
  }
}

/** A budget that reports how long each acquire waited (the shared budget itself is unchanged). */
function observedBudget(
  inner: RateBudget,
  report: (lane: string, perMinute: number, waitedMs: number) => void,
): RateBudget {
  return {
    async acquire(key, lane, perMinute, signal, opts) {
      const started = Date.now();
      await inner.acquire(key, lane, perMinute, signal, opts);
      report(lane, perMinute, Date.now() - started);
    },
    penalize: (key, lane, until) => inner.penalize(key, lane, until),
  };
}

/** The CCV e-mail → user index of one integration, in the database (shared by all workers). */
export class DbCustomerEmailIndex implements CustomerEmailIndex {
  /** plain statements: an order with a new customer reads and writes the index once each */
  private readonly sql: FastSql<CcvCustomerIndexEntity>;
  /**
   * the last refresh this process saw (read or made): an order of a new customer asks for it, and
   * a refresh only ever moves it forward, so a remembered one is never newer than the truth (at
   * worst another worker's newer refresh is not seen and the index is rebuilt once more)
   */
  private refreshedAt: Date | undefined;

  constructor(
    private readonly ds: DataSource,
    private readonly integrationId: string,
  ) {
    this.sql = new FastSql(ds, CcvCustomerIndexEntity);
  }

  async get(emailHash: string): Promise<string | undefined> {
    return (await this.sql.findOne({ integrationId: this.integrationId, emailHash }))?.userId;
  }

  async set(emailHash: string, userId: string): Promise<void> {
    await this.sql.upsert({ integrationId: this.integrationId, emailHash, userId }, [
      "integrationId",
      "emailHash",
    ]);
  }

  async setMany(entries: [string, string][]): Promise<void> {
    for (let i = 0; i < entries.length; i += 200) {
      const chunk = entries
        .slice(i, i + 200)
        .map(([emailHash, userId]) => ({ integrationId: this.integrationId, emailHash, userId }));
      await this.ds.manager.upsert(CcvCustomerIndexEntity, chunk, ["integrationId", "emailHash"]);
    }
  }

  async delete(emailHash: string): Promise<void> {
    await this.ds.manager.delete(CcvCustomerIndexEntity, { integrationId: this.integrationId, emailHash });
  }

  async size(): Promise<number> {
    return this.ds.manager.countBy(CcvCustomerIndexEntity, { integrationId: this.integrationId });
  }

  async lastRefreshedAt(): Promise<Date | undefined> {
    if (this.refreshedAt) return this.refreshedAt;
    const r = await this.ds.manager.findOneBy(SyncCursorEntity, {
      integrationId: this.integrationId,
      key: "ccv:email-index",
    });
    this.refreshedAt = r ? new Date(r.value) : undefined;
    return this.refreshedAt;
  }

  async markRefreshed(at: Date): Promise<void> {
    if (!this.refreshedAt || at > this.refreshedAt) this.refreshedAt = at;
    await this.ds.manager.upsert(
      SyncCursorEntity,
      {
        integrationId: this.integrationId,
        key: "ccv:email-index",
        value: at.toISOString(),
        updatedAt: new Date(),
      },
      ["integrationId", "key"],
    );
  }
}
