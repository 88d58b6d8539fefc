import { Column, Entity, PrimaryColumn } from "typeorm";
import { DateColumn, JsonColumn } from "../columns";

/** A user field mapping of a flow, by target path (overrides the default with the same target). */
@Entity("field_mapping")
export class FieldMappingEntity {
  @PrimaryColumn({ type: "varchar", length: 36 })
  id!: string;

  @Column({ name: "integration_id", type: "varchar", length: 36 })
  integrationId!: string;

  @Column({ type: "varchar", length: 40 })
  flow!: string;

  @Column({ type: "varchar", length: 300 })
  target!: string;

  @Column({ type: "varchar", length: 300, nullable: true })
  source!: string | null;

  @Column({ type: "text", nullable: true })
  expression!: string | null;

  @JsonColumn("default_value")
  defaultValue!: unknown;

  @Column({ type: "varchar", length: 16 })
  policy!: string;

  @Column({ type: "integer" })
  position!: number;

  @DateColumn("updated_at")
  updatedAt!: Date;
}

/** A value map entry: translates a code of one system to the other's (payment methods, statuses…). */
@Entity("value_mapping")
export class ValueMappingEntity {
  @PrimaryColumn({ type: "varchar", length: 36 })
  id!: string;

  @Column({ name: "integration_id", type: "varchar", length: 36 })
  integrationId!: string;

  @Column({ type: "varchar", length: 32 })
  kind!: string;

  @Column({ name: "from_value", type: "varchar", length: 200 })
  from!: string;

  @Column({ name: "to_value", type: "varchar", length: 200 })
  to!: string;
}
