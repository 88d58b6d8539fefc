import { Entity, PrimaryColumn, Column } from "typeorm";
import { DateColumn, IdColumn } from "../columns";

export type RoleName = "ADMIN" | "OPERATOR" | "VIEWER";

/** An API key of a workspace. Only its SHA-256 and a readable prefix are stored. */
@Entity("api_key")
export class ApiKeyEntity {
  @PrimaryColumn({ type: "varchar", length: 36 })
  id!: string;

  @IdColumn("workspace_id")
  workspaceId!: string;

  @Column({ type: "varchar", length: 200 })
  name!: string;

  @Column({ type: "varchar", length: 16 })
  role!: RoleName;

  @Column({ type: "varchar", length: 16 })
  prefix!: string;

  @Column({ name: "key_hash", type: "varchar", length: 64 })
  keyHash!: string;

  @DateColumn("created_at")
  createdAt!: Date;

  @DateColumn("last_used_at", { nullable: true })
  lastUsedAt!: Date | null;

  @DateColumn("revoked_at", { nullable: true })
  revokedAt!: Date | null;
}
