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
} from "../connectors/http";
import { CcvCustomerIndexEntity, SyncCursorEntity } from "../db/entities/infra.entity";
import type { SystemKind } from "../domain/system";
import type { IntegrationSecrets } from "../services/integration.service";
import type { IntegrationClients } from "./engine/flow-definition";

export interface ConnectorHubOptions {
  /** transport overrides (tests use short timeouts) */
  transport?: ConnectorDeps["transport"];
  ecwid?: EcwidClientOptions;
  ccv?: CcvClientOptions;
  /** a shared budget (Redis-backed when several processes share credentials) */
  budget?: RateBudget;
  observe?: (o: RequestObservation) => void;
  /** per-integration observations of requests and of rate-budget waits (metrics, budget alerts) */
  lanes?: LaneObserver;
}

export interface LaneObserver {
  request(integrationId: string, o: RequestObservation): void;
  budget(integrationId: string, system: SystemKind, lane: string, perMinute: number, waitedMs: number): void;
}

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

  private deps(readOnly: boolean, integrationId: string | undefined, system: SystemKind): ConnectorDeps {
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
          ? (o) => {
              observe?.(o);
              lanes?.request(integrationId!, o);
            }
          : undefined,
      transport: { ...(this.opts.transport ?? {}), readOnly },
    };
  }

  clients = async (
    integrationId: string,
    { readOnly }: { readOnly: boolean },
  ): Promise<IntegrationClients> => {
    const s = await this.secrets(integrationId);
    return this.clientsFor(s, {
      readOnly,
      emailIndex: new DbCustomerEmailIndex(this.ds, integrationId),
      integrationId,
    });
  };

  /** clients for credentials as given */
  clientsFor(
    s: Pick<IntegrationSecrets, "ecwid" | "ccv">,
    {
      readOnly,
      emailIndex,
      integrationId,
    }: { readOnly: boolean; emailIndex?: CustomerEmailIndex; integrationId?: string },
  ): IntegrationClients {
    return {
      ecwid: this.ecwidFor(s.ecwid, readOnly, integrationId),
      ccv: this.ccvFor(s.ccv, readOnly, emailIndex, integrationId),
    };
  }

  /** `integrationId`: whose lanes the requests count on (absent for credentials not saved yet) */
  ecwidFor(e: IntegrationSecrets["ecwid"], readOnly: boolean, integrationId?: string): EcwidClient {
    return new EcwidClient(
      { storeId: e.storeId, token: e.token, clientSecret: e.clientSecret, apiBaseUrl: e.apiBaseUrl },
      this.deps(readOnly, integrationId, "ECWID"),
      this.opts.ecwid,
    );
  }

  /** without an e-mail index (a check of credentials before they are saved) the client keeps one in memory */
  ccvFor(
    c: IntegrationSecrets["ccv"],
    readOnly: boolean,
    emailIndex?: CustomerEmailIndex,
    integrationId?: string,
  ): CcvClient {
    return new CcvClient(
      {
        baseUrl: c.baseUrl,
        publicKey: c.publicKey,
        secretKey: c.secretKey,
        salesPos: c.salesPos ?? undefined,
      },
      { ...this.deps(readOnly, integrationId, "CCV_SALESPOS"), emailIndex },
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
    async acquire(key, lane, perMinute, signal) {
      const started = Date.now();
      await inner.acquire(key, lane, perMinute, signal);
      report(lane, perMinute, Date.now() - started);
    },
    penalize: (key, lane, until) => inner.penalize(key, lane, until),
  };
}

/** The CCV e-mail → user index of one integration, in the database (shared by all workers). */
export class DbCustomerEmailIndex implements CustomerEmailIndex {
  constructor(
    private readonly ds: DataSource,
    private readonly integrationId: string,
  ) {}

  async get(emailHash: string): Promise<string | undefined> {
    return (
      await this.ds.manager.findOneBy(CcvCustomerIndexEntity, {
        integrationId: this.integrationId,
        emailHash,
      })
    )?.userId;
  }

  async set(emailHash: string, userId: string): Promise<void> {
    await this.ds.manager.upsert(
      CcvCustomerIndexEntity,
      { integrationId: this.integrationId, emailHash, userId },
      ["integrationId", "emailHash"],
    );
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
    const r = await this.ds.manager.findOneBy(SyncCursorEntity, {
      integrationId: this.integrationId,
      key: "ccv:email-index",
    });
    return r ? new Date(r.value) : undefined;
  }

  async markRefreshed(at: Date): Promise<void> {
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
