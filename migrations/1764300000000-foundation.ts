import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from "typeorm";
import { cols } from "./lib";

/** Tenancy and integrations: workspaces, their API keys, and integrations with encrypted credentials. */
export class Foundation1764300000000 implements MigrationInterface {
  name = "Foundation1764300000000";

  async up(qr: QueryRunner): Promise<void> {
    const c = cols(qr);
    await qr.createTable(
      new Table({
        name: "workspace",
        columns: [c.pk(), c.str("name", 200), c.date("created_at")],
      }),
    );
    await qr.createTable(
      new Table({
        name: "api_key",
        columns: [
          c.pk(),
          c.uuid("workspace_id"),
          c.str("name", 200),
          c.str("role", 16),
          c.str("prefix", 16),
          c.str("key_hash", 64),
          c.date("created_at"),
          c.date("last_used_at", true),
          c.date("revoked_at", true),
        ],
        indices: [
          new TableIndex({ name: "uq_api_key_hash", columnNames: ["key_hash"], isUnique: true }),
          new TableIndex({ name: "ix_api_key_workspace", columnNames: ["workspace_id"] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: "fk_api_key_workspace",
            columnNames: ["workspace_id"],
            referencedTableName: "workspace",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: "integration",
        columns: [
          c.pk(),
          c.uuid("workspace_id"),
          c.str("name", 200),
          c.int("ecwid_store_id"),
          c.str("ecwid_api_base_url", 500),
          c.text("ecwid_token_enc", false),
          c.text("ecwid_client_secret_enc"),
          c.str("ecwid_mask", 500),
          c.str("ecwid_status", 16),
          c.date("ecwid_checked_at", true),
          c.text("ecwid_error"),
          c.str("ccv_base_url", 500),
          c.text("ccv_public_key_enc", false),
          c.text("ccv_secret_key_enc", false),
          c.str("ccv_mask", 500),
          c.str("ccv_webshop_id", 64, true),
          c.bool("ccv_is_salespos", true),
          c.str("ccv_status", 16),
          c.date("ccv_checked_at", true),
          c.text("ccv_error"),
          c.date("created_at"),
          c.date("updated_at"),
        ],
        indices: [new TableIndex({ name: "ix_integration_workspace", columnNames: ["workspace_id"] })],
        foreignKeys: [
          new TableForeignKey({
            name: "fk_integration_workspace",
            columnNames: ["workspace_id"],
            referencedTableName: "workspace",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable("integration");
    await qr.dropTable("api_key");
    await qr.dropTable("workspace");
  }
}
