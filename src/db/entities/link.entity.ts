import { Column, Entity, PrimaryColumn } from "typeorm";
import { DateColumn } from "../columns";

/**
 * The pair (Ecwid id ⇄ CCV id) of one record, unique on both ids per integration and entity.
 * `createdBy` says which side the gateway created (echo suppression: a record the gateway created
 * is never pushed back to its origin as new). The hashes are the last-synced normalised mapped
 * fields per direction ('' = never synced that way; never NULL, so no nullable column is in a key).
 */
@Entity("link")
export class LinkEntity {
  @PrimaryColumn({ type: "varchar", length: 36 })
  id!: string;

  @Column({ name: "integration_id", type: "varchar", length: 36 })
  integrationId!: string;

  @Column({ type: "varchar", length: 16 })
  entity!: string;

  @Column({ name: "ecwid_id", type: "varchar", length: 191 })
  ecwidId!: string;

  @Column({ name: "ccv_id", type: "varchar", length: 191 })
  ccvId!: string;

  /** ECWID: the gateway created the Ecwid record; CCV_SALESPOS: created the CCV one; MATCHED: both existed */
  @Column({ name: "created_by", type: "varchar", length: 16 })
  createdBy!: string;

  @Column({ name: "hash_to_ccv", type: "varchar", length: 64 })
  hashToCcv!: string;

  @Column({ name: "hash_to_ecwid", type: "varchar", length: 64 })
  hashToEcwid!: string;

  @Column({ type: "varchar", length: 191, nullable: true })
  sku!: string | null;

  @DateColumn("created_at")
  createdAt!: Date;

  @DateColumn("updated_at")
  updatedAt!: Date;
}
