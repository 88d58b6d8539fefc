import type { EntityTarget, ObjectLiteral } from "typeorm";
import { CcvWebhookEntity } from "../../db/entities/infra.entity";
import { IntegrationEntity } from "../../db/entities/integration.entity";
import { AlertChannelEntity } from "../../db/entities/ops.entity";

/**
 * Every column that holds a SecretBox ciphertext, with the additional authenticated data its
 * value is bound to. Key rotation re-encrypts exactly these; a test fails when an entity gains an
 * `…Enc` column that is not listed here (it would stay under an old key forever).
 */
export interface SecretColumnSet<T extends ObjectLiteral = ObjectLiteral> {
  /** a name for reports */
  name: string;
  entity: EntityTarget<T>;
  /** properties that identify a row (primary key) */
  keys: (keyof T & string)[];
  columns: { prop: keyof T & string; aad: (row: T) => string }[];
}

const set = <T extends ObjectLiteral>(s: SecretColumnSet<T>) => s as unknown as SecretColumnSet;

export const SECRET_COLUMNS: SecretColumnSet[] = [
  set<IntegrationEntity>({
    name: "integration credentials",
    entity: IntegrationEntity,
    keys: ["id"],
    columns: [
      { prop: "ecwidTokenEnc", aad: (r) => `integration:${r.id}:ecwid.token` },
      { prop: "ecwidClientSecretEnc", aad: (r) => `integration:${r.id}:ecwid.clientSecret` },
      { prop: "ccvPublicKeyEnc", aad: (r) => `integration:${r.id}:ccv.publicKey` },
      { prop: "ccvSecretKeyEnc", aad: (r) => `integration:${r.id}:ccv.secretKey` },
    ],
  }),
  set<CcvWebhookEntity>({
    name: "CCV webhook keys",
    entity: CcvWebhookEntity,
    keys: ["integrationId", "event"],
    columns: [{ prop: "keyEnc", aad: (r) => `ccv_webhook:${r.integrationId}:${r.event}` }],
  }),
  set<AlertChannelEntity>({
    name: "alert channel secrets",
    entity: AlertChannelEntity,
    keys: ["id"],
    columns: [{ prop: "secretEnc", aad: (r) => alertChannelAad(r.id) }],
  }),
];

/** the AAD of an alert channel's secret (webhook signing secret or SMTP password) */
export const alertChannelAad = (id: string) => `alert_channel:${id}:secret`;
