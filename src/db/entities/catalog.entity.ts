import { Column, Entity, PrimaryColumn } from "typeorm";
import { DateColumn } from "../columns";

/**
 * One product (`combinationId` '') or variant of one system in the catalogue index of an
 * integration (src/sync/catalog/catalog-index.ts), with its SKU and EAN as that system has them.
 * `modified` is the system's own change stamp of the product (CCV `modifydate`, Ecwid
 * `updateTimestamp`): the incremental refresh stops at a product whose stamp it already holds.
 */
@Entity("catalog_entry")
export class CatalogEntryEntity {
  @PrimaryColumn({ name: "integration_id", type: "varchar", length: 36 })
  integrationId!: string;

  /** ECWID or CCV_SALESPOS */
  @PrimaryColumn({ type: "varchar", length: 16 })
  system!: string;

  @PrimaryColumn({ name: "product_id", type: "varchar", length: 64 })
  productId!: string;

  /** '' for the product itself */
  @PrimaryColumn({ name: "combination_id", type: "varchar", length: 64 })
  combinationId!: string;

  @Column({ type: "varchar", length: 191, nullable: true })
  sku!: string | null;

  @Column({ type: "varchar", length: 64, nullable: true })
  ean!: string | null;

  @Column({ type: "varchar", length: 32, nullable: true })
  modified!: string | null;

  @DateColumn("updated_at")
  updatedAt!: Date;
}
