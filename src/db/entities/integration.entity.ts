import { Entity, PrimaryColumn, Column } from "typeorm";
import { DateColumn, IdColumn } from "../columns";

export type ConnectionStatusName = "UNTESTED" | "OK" | "FAILING";

/**
 * One Ecwid store paired with one CCV SalesPOS shop. Secret columns (`*_enc`) hold SecretBox
 * ciphertexts bound to this row and column; `*_mask` columns hold the display form (prefix and
 * length) so listing integrations never needs to decrypt.
 */
@Entity("integration")
export class IntegrationEntity {
  @PrimaryColumn({ type: "varchar", length: 36 })
  id!: string;

  @IdColumn("workspace_id")
  workspaceId!: string;

  @Column({ type: "varchar", length: 200 })
  name!: string;

  @Column({ name: "ecwid_store_id", type: "integer" })
  ecwidStoreId!: number;

  @Column({ name: "ecwid_api_base_url", type: "varchar", length: 500 })
  ecwidApiBaseUrl!: string;

  @Column({ name: "ecwid_token_enc", type: "text" })
  ecwidTokenEnc!: string;

  @Column({ name: "ecwid_client_secret_enc", type: "text", nullable: true })
  ecwidClientSecretEnc!: string | null;

  @Column({ name: "ecwid_mask", type: "varchar", length: 500 })
  ecwidMask!: string;

  @Column({ name: "ecwid_status", type: "varchar", length: 16 })
  ecwidStatus!: ConnectionStatusName;

  @DateColumn("ecwid_checked_at", { nullable: true })
  ecwidCheckedAt!: Date | null;

  @Column({ name: "ecwid_error", type: "text", nullable: true })
  ecwidError!: string | null;

  @Column({ name: "ccv_base_url", type: "varchar", length: 500 })
  ccvBaseUrl!: string;

  @Column({ name: "ccv_public_key_enc", type: "text" })
  ccvPublicKeyEnc!: string;

  @Column({ name: "ccv_secret_key_enc", type: "text" })
  ccvSecretKeyEnc!: string;

  @Column({ name: "ccv_mask", type: "varchar", length: 500 })
  ccvMask!: string;

  /** the CCV webshop id ("store id"), learnt when the connection is tested */
  @Column({ name: "ccv_webshop_id", type: "varchar", length: 64, nullable: true })
  ccvWebshopId!: string | null;

  @Column({ name: "ccv_is_salespos", type: "boolean", nullable: true })
  ccvIsSalesPos!: boolean | null;

  @Column({ name: "ccv_status", type: "varchar", length: 16 })
  ccvStatus!: ConnectionStatusName;

  @DateColumn("ccv_checked_at", { nullable: true })
  ccvCheckedAt!: Date | null;

  @Column({ name: "ccv_error", type: "text", nullable: true })
  ccvError!: string | null;

  @DateColumn("created_at")
  createdAt!: Date;

  @DateColumn("updated_at")
  updatedAt!: Date;
}
