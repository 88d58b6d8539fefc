import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { badInput, notFound } from "../common/errors";
import type { SecretBox } from "../common/crypto";
import { looksMasked, maskSecret } from "../common/secrets";
import { IntegrationEntity } from "../db/entities/integration.entity";
import { ConnectionEventEntity } from "../db/entities/ops.entity";
import { STRICT_UPSTREAMS, upstreamUrlProblem, type UpstreamPolicy } from "../connectors/http";

export const DEFAULT_ECWID_API_BASE = "https://app.ecwid.com/api/v3";

export interface EcwidCredentials {
  storeId: number;
  token: string;
  clientSecret?: string | null;
  apiBaseUrl?: string | null;
}

export interface CcvCredentials {
  baseUrl: string;
  publicKey: string;
  secretKey: string;
}

/** Decrypted credentials, for connectors only: never returned by the API, logged or queued. */
export interface IntegrationSecrets {
  ecwid: { storeId: number; token: string; clientSecret: string | null; apiBaseUrl: string };
  ccv: {
    baseUrl: string;
    publicKey: string;
    secretKey: string;
    salesPos: boolean | null;
    webshopId: string | null;
  };
}

/**
 * Vendor base URLs are judged by the connectors' upstream guard (contract README "Vendor base
 * URLs"): https to public addresses; loopback hosts, also over http, only with
 * GATEWAY_ALLOW_LOCAL_UPSTREAMS. Names are judged again on their resolved address at connect time.
 */
export function checkVendorUrl(
  field: string,
  raw: string,
  policy: UpstreamPolicy = STRICT_UPSTREAMS,
): string {
  const problem = upstreamUrlProblem(raw, policy);
  if (problem) throw badInput(`${field} ${problem} (got "${String(raw).slice(0, 200)}").`);
  const u = new URL(raw.trim());
  if (u.search || u.hash) throw badInput(`${field} must not contain a query string or fragment.`);
  return u.toString().replace(/\/+$/, "");
}

function requireSecret(field: string, v: string | null | undefined): string {
  const s = (v ?? "").trim();
  if (s === "") throw badInput(`${field} must not be empty.`);
  if (looksMasked(s)) {
    throw badInput(
      `${field} looks like the masked value the gateway displays, not the credential itself; paste the full value from the vendor's settings.`,
    );
  }
  if (s.length > 2000) throw badInput(`${field} is too long.`);
  return s;
}

/** Ecwid credentials as typed, validated and normalised (the same rules for saving and for a check) */
export function checkEcwidCredentials(
  c: EcwidCredentials,
  upstreams: UpstreamPolicy = STRICT_UPSTREAMS,
): IntegrationSecrets["ecwid"] {
  if (!Number.isInteger(c.storeId) || c.storeId <= 0)
    throw badInput("ecwid.storeId must be a positive whole number.");
  const token = requireSecret("ecwid.token", c.token);
  const clientSecret =
    c.clientSecret === undefined || c.clientSecret === null || c.clientSecret.trim() === ""
      ? null
      : requireSecret("ecwid.clientSecret", c.clientSecret);
  const apiBaseUrl = checkVendorUrl("ecwid.apiBaseUrl", c.apiBaseUrl ?? DEFAULT_ECWID_API_BASE, upstreams);
  return { storeId: c.storeId, token, clientSecret, apiBaseUrl };
}

/** CCV SalesPOS credentials as typed, validated and normalised */
export function checkCcvCredentials(
  c: CcvCredentials,
  upstreams: UpstreamPolicy = STRICT_UPSTREAMS,
): IntegrationSecrets["ccv"] {
  return {
    baseUrl: checkVendorUrl("ccv.baseUrl", c.baseUrl, upstreams),
    publicKey: requireSecret("ccv.publicKey", c.publicKey),
    secretKey: requireSecret("ccv.secretKey", c.secretKey),
    salesPos: null,
    webshopId: null,
  };
}

const aad = (id: string, field: string) => `integration:${id}:${field}`;

export class IntegrationService {
  constructor(
    private readonly ds: DataSource,
    private readonly box: SecretBox,
    /** which vendor base URLs are accepted (GATEWAY_ALLOW_LOCAL_UPSTREAMS) */
    readonly upstreams: UpstreamPolicy = STRICT_UPSTREAMS,
  ) {}

  private get repo() {
    return this.ds.getRepository(IntegrationEntity);
  }

  async list(workspaceId: string): Promise<IntegrationEntity[]> {
    return this.repo.find({ where: { workspaceId }, order: { createdAt: "ASC" } });
  }

  /** null when absent or in another workspace: callers answer NOT_FOUND either way */
  async find(workspaceId: string, id: string): Promise<IntegrationEntity | null> {
    return this.repo.findOneBy({ id, workspaceId });
  }

  async get(workspaceId: string, id: string): Promise<IntegrationEntity> {
    const i = await this.find(workspaceId, id);
    if (!i) throw notFound("Integration", id);
    return i;
  }

  async create(
    workspaceId: string,
    name: string,
    ecwid: EcwidCredentials,
    ccv: CcvCredentials,
  ): Promise<IntegrationEntity> {
    const clean = name.trim();
    if (clean === "" || clean.length > 200) throw badInput("An integration name needs 1 to 200 characters.");
    const now = new Date();
    const e = Object.assign(new IntegrationEntity(), {
      id: randomUUID(),
      workspaceId,
      name: clean,
      createdAt: now,
      updatedAt: now,
    });
    this.applyEcwid(e, ecwid);
    this.applyCcv(e, ccv);
    await this.repo.insert(e);
    return e;
  }

  async updateEcwid(workspaceId: string, id: string, creds: EcwidCredentials): Promise<IntegrationEntity> {
    const e = await this.get(workspaceId, id);
    this.applyEcwid(e, creds);
    e.updatedAt = new Date();
    await this.repo.save(e);
    return e;
  }

  async updateCcv(workspaceId: string, id: string, creds: CcvCredentials): Promise<IntegrationEntity> {
    const e = await this.get(workspaceId, id);
    this.applyCcv(e, creds);
    e.updatedAt = new Date();
    await this.repo.save(e);
    return e;
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    const r = await this.repo.delete({ id, workspaceId });
    if (!r.affected) throw notFound("Integration", id);
    return true;
  }

  /**
   * Records the outcome of a connection test. A change of state (OK → FAILING → OK) is kept as a
   * connection event in the same transaction: the health history and the alerts read it.
   */
  async recordCheck(
    id: string,
    system: "ECWID" | "CCV_SALESPOS",
    ok: boolean,
    error: string | null,
    extra: { ccvWebshopId?: string | null; ccvIsSalesPos?: boolean | null } = {},
    source: "TEST" | "HEALTH" | "RUN" = "TEST",
  ): Promise<void> {
    const at = new Date();
    const to = ok ? "OK" : "FAILING";
    await this.ds.transaction(async (em) => {
      const cur = await em.findOne(IntegrationEntity, {
        select: { id: true, ecwidStatus: true, ccvStatus: true },
        where: { id },
      });
      if (!cur) return;
      const from = system === "ECWID" ? cur.ecwidStatus : cur.ccvStatus;
      if (system === "ECWID") {
        await em.update(
          IntegrationEntity,
          { id },
          { ecwidStatus: to, ecwidCheckedAt: at, ecwidError: error },
        );
      } else {
        await em.update(
          IntegrationEntity,
          { id },
          {
            ccvStatus: to,
            ccvCheckedAt: at,
            ccvError: error,
            ...(extra.ccvWebshopId !== undefined ? { ccvWebshopId: extra.ccvWebshopId } : {}),
            ...(extra.ccvIsSalesPos !== undefined ? { ccvIsSalesPos: extra.ccvIsSalesPos } : {}),
          },
        );
      }
      if (from !== to) {
        await em.insert(ConnectionEventEntity, {
          integrationId: id,
          system,
          fromStatus: from,
          toStatus: to,
          message: error,
          source,
          at,
        });
      }
    });
  }

  /** the decrypted credentials of an integration (no workspace check: internal callers only) */
  async secrets(id: string): Promise<IntegrationSecrets> {
    const e = await this.repo.findOneBy({ id });
    if (!e) throw notFound("Integration", id);
    return this.decrypt(e);
  }

  decrypt(e: IntegrationEntity): IntegrationSecrets {
    return {
      ecwid: {
        storeId: e.ecwidStoreId,
        token: this.box.decrypt(e.ecwidTokenEnc, aad(e.id, "ecwid.token")),
        clientSecret: e.ecwidClientSecretEnc
          ? this.box.decrypt(e.ecwidClientSecretEnc, aad(e.id, "ecwid.clientSecret"))
          : null,
        apiBaseUrl: e.ecwidApiBaseUrl,
      },
      ccv: {
        baseUrl: e.ccvBaseUrl,
        publicKey: this.box.decrypt(e.ccvPublicKeyEnc, aad(e.id, "ccv.publicKey")),
        secretKey: this.box.decrypt(e.ccvSecretKeyEnc, aad(e.id, "ccv.secretKey")),
        salesPos: e.ccvIsSalesPos,
        webshopId: e.ccvWebshopId,
      },
    };
  }

  private applyEcwid(e: IntegrationEntity, c: EcwidCredentials) {
    const { token, clientSecret, apiBaseUrl: base } = checkEcwidCredentials(c, this.upstreams);
    e.ecwidStoreId = c.storeId;
    e.ecwidApiBaseUrl = base;
    e.ecwidTokenEnc = this.box.encrypt(token, aad(e.id, "ecwid.token"));
    e.ecwidClientSecretEnc = clientSecret
      ? this.box.encrypt(clientSecret, aad(e.id, "ecwid.clientSecret"))
      : null;
    e.ecwidMask = [
      `storeId ${c.storeId}`,
      `token ${maskSecret(token)}`,
      `clientSecret ${clientSecret ? maskSecret(clientSecret) : "(not set: webhooks cannot be verified)"}`,
      base,
    ].join(" · ");
    e.ecwidStatus = "UNTESTED";
    e.ecwidCheckedAt = null;
    e.ecwidError = null;
  }

  private applyCcv(e: IntegrationEntity, c: CcvCredentials) {
    const { baseUrl: base, publicKey: pub, secretKey: sec } = checkCcvCredentials(c, this.upstreams);
    e.ccvBaseUrl = base;
    e.ccvPublicKeyEnc = this.box.encrypt(pub, aad(e.id, "ccv.publicKey"));
    e.ccvSecretKeyEnc = this.box.encrypt(sec, aad(e.id, "ccv.secretKey"));
    e.ccvMask = [base, `publicKey ${maskSecret(pub)}`, `secretKey ${maskSecret(sec)}`].join(" · ");
    e.ccvStatus = "UNTESTED";
    e.ccvCheckedAt = null;
    e.ccvError = null;
    e.ccvWebshopId = null;
    e.ccvIsSalesPos = null;
  }
}

export function ecwidLabel(e: IntegrationEntity): string {
  return `Ecwid store ${e.ecwidStoreId}`;
}

export function ccvLabel(e: IntegrationEntity): string {
  const host = new URL(e.ccvBaseUrl).host;
  return e.ccvWebshopId ? `${host} (webshop ${e.ccvWebshopId})` : host;
}
