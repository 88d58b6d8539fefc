import type { Logger } from "pino";
import {
  checkCcvCredentials,
  checkEcwidCredentials,
  type CcvCredentials,
  type EcwidCredentials,
  type IntegrationService,
} from "../services/integration.service";
import type { ConnectorHub } from "./connector-hub";
import type { EventLog } from "../events/event-log";
import type { ClientProvider } from "./engine/runtime";

export interface ConnectionCheckData {
  system: "ECWID" | "CCV_SALESPOS";
  ok: boolean;
  message: string;
  checkedAt: Date;
}

/** testConnections: one read per side, with the answer in words; the outcome is stored on the connection. */
export class ConnectionService {
  constructor(
    private readonly integrations: IntegrationService,
    private readonly clients: ClientProvider,
    private readonly events: EventLog,
    private readonly logger: Logger,
    /** after a successful CCV check: make sure the CCV webhooks of enabled flows are registered */
    private readonly onCcvOk?: (integrationId: string) => void,
    /** builds clients for credentials that are not saved yet (checkCredentials) */
    private readonly hub?: Pick<ConnectorHub, "ecwidFor" | "ccvFor">,
  ) {}

  /**
   * Checks credentials before they are saved (a setup wizard's "test" step): the same validation
   * and the same one read per side as testConnections, read-only, nothing stored.
   */
  async check(input: {
    ecwid?: EcwidCredentials | null;
    ccv?: CcvCredentials | null;
  }): Promise<ConnectionCheckData[]> {
    if (!this.hub) throw new Error("ConnectionService was built without a connector hub");
    const out: ConnectionCheckData[] = [];
    const ecwid = input.ecwid ? checkEcwidCredentials(input.ecwid, this.integrations.upstreams) : null;
    const ccv = input.ccv ? checkCcvCredentials(input.ccv, this.integrations.upstreams) : null;
    const outcome = (p: Promise<{ ok: boolean; message: string }>) =>
      p.catch((e: Error) => ({ ok: false, message: e.message }));
    const [e, c] = await Promise.all([
      ecwid ? outcome(this.hub.ecwidFor(ecwid, true).testConnection()) : null,
      ccv ? outcome(this.hub.ccvFor(ccv, true).testConnection()) : null,
    ]);
    const checkedAt = new Date();
    if (e) out.push({ system: "ECWID", ok: e.ok, message: e.message, checkedAt });
    if (c) out.push({ system: "CCV_SALESPOS", ok: c.ok, message: c.message, checkedAt });
    return out;
  }

  /** `source`: TEST for testConnections, HEALTH for the scheduled health check */
  async test(
    workspaceId: string,
    integrationId: string,
    source: "TEST" | "HEALTH" = "TEST",
  ): Promise<ConnectionCheckData[]> {
    await this.integrations.get(workspaceId, integrationId);
    const c = await this.clients(integrationId, { readOnly: true });
    const [ecwid, ccv] = await Promise.all([
      c.ecwid.testConnection().catch((e: Error) => ({ ok: false, message: e.message })),
      c.ccv.testConnection().catch((e: Error) => ({ ok: false, message: e.message })),
    ]);
    const checkedAt = new Date();
    await this.integrations.recordCheck(
      integrationId,
      "ECWID",
      ecwid.ok,
      ecwid.ok ? null : ecwid.message,
      {},
      source,
    );
    const ccvExtra =
      ccv.ok && "storeId" in ccv
        ? { ccvWebshopId: ccv.storeId ?? null, ccvIsSalesPos: ccv.isSalesPos ?? null }
        : {};
    await this.integrations.recordCheck(
      integrationId,
      "CCV_SALESPOS",
      ccv.ok,
      ccv.ok ? null : ccv.message,
      ccvExtra,
      source,
    );
    if (ccv.ok) this.onCcvOk?.(integrationId);
    for (const [system, r] of [
      ["ECWID", ecwid],
      ["CCV_SALESPOS", ccv],
    ] as const) {
      if (!r.ok) {
        this.logger.warn({ integrationId, system, message: r.message }, "connection test failed");
        await this.events.emit({
          type: "CONNECTION_FAILED",
          integrationId,
          flow: null,
          runId: null,
          runStatus: null,
          counts: null,
          progress: null,
          item: null,
          message: `${system === "ECWID" ? "Ecwid" : "CCV SalesPOS"}: ${r.message}`,
        });
      }
    }
    return [
      { system: "ECWID", ok: ecwid.ok, message: ecwid.message, checkedAt },
      { system: "CCV_SALESPOS", ok: ccv.ok, message: ccv.message, checkedAt },
    ];
  }

  /** after an AUTH failure in a run: the connection shows FAILING with the vendor's reason */
  async markFailing(integrationId: string, system: "ECWID" | "CCV_SALESPOS", message: string): Promise<void> {
    await this.integrations.recordCheck(integrationId, system, false, message, {}, "RUN");
  }
}
