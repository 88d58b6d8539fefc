import { Column, Entity, PrimaryColumn } from "typeorm";
import { DateColumn } from "../columns";

/**
 * A create the gateway is about to make (or made) upstream: the source record, the reference the
 * new record carries, and — once the vendor answered — the created record's id. An intent without
 * an outcome means the create may or may not have happened (crash, ambiguous failure).
 */
@Entity("write_intent")
export class WriteIntentEntity {
  @PrimaryColumn({ type: "varchar", length: 36 })
  id!: string;

  @Column({ name: "integration_id", type: "varchar", length: 36 })
  integrationId!: string;

  /** the system the record is created in */
  @Column({ type: "varchar", length: 16 })
  target!: string;

  @Column({ type: "varchar", length: 16 })
  entity!: string;

  /** our reference on the created record (unique per integration, target and entity) */
  @Column({ type: "varchar", length: 191 })
  reference!: string;

  @Column({ name: "source_id", type: "varchar", length: 191 })
  sourceId!: string;

  @Column({ name: "run_id", type: "varchar", length: 36 })
  runId!: string;

  /** the created record's id: null until the vendor answered */
  @Column({ name: "target_id", type: "varchar", length: 191, nullable: true })
  targetId!: string | null;

  /** how people know the created record (an order number) */
  @Column({ name: "target_label", type: "varchar", length: 191, nullable: true })
  targetLabel!: string | null;

  @DateColumn("created_at")
  createdAt!: Date;

  @DateColumn("updated_at")
  updatedAt!: Date;
}
