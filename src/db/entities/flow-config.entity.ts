import { Column, Entity, PrimaryColumn } from "typeorm";
import { DateColumn, JsonColumn } from "../columns";

/** Per integration and FlowKind: on/off, schedule and settings. Absent row = defaults (disabled). */
@Entity("flow_config")
export class FlowConfigEntity {
  @PrimaryColumn({ name: "integration_id", type: "varchar", length: 36 })
  integrationId!: string;

  @PrimaryColumn({ type: "varchar", length: 40 })
  kind!: string;

  @Column({ type: "boolean" })
  enabled!: boolean;

  @Column({ type: "varchar", length: 120, nullable: true })
  schedule!: string | null;

  @JsonColumn("settings")
  settings!: Record<string, unknown> | null;

  @DateColumn("updated_at")
  updatedAt!: Date;
}
