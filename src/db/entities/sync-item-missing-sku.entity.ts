import { Column, Entity, PrimaryColumn } from "typeorm";
import { bigintNumber, DateColumn } from "../columns";

/**
 * A SKU a failed MISSING_PRODUCT item waits for, as data: when a product or variant with exactly
 * this SKU is linked, the item is tried again at once (ItemRetries.healSkus). Written with the item,
 * in its transaction, only for such failures; deleted with the item, and by the retention once the
 * item is past the heal window.
 *
 * `sku` "" (LEGACY_REASON_MARKER) marks an item failed before the SKUs were recorded (set by the
 * migration): its SKUs are only in the words of its reason, which the legacy path matches.
 */
@Entity("sync_item_missing_sku")
export class SyncItemMissingSkuEntity {
  @PrimaryColumn({ type: "integer", generated: "increment", transformer: bigintNumber })
  id!: number;

  @Column({ name: "item_id", type: "integer", transformer: bigintNumber })
  itemId!: number;

  @Column({ name: "integration_id", type: "varchar", length: 36 })
  integrationId!: string;

  @Column({ type: "varchar", length: 191 })
  sku!: string;

  @DateColumn("created_at")
  createdAt!: Date;
}

/** the `sku` of an item failed before missing SKUs were recorded: matched by its reason's words */
export const LEGACY_REASON_MARKER = "";

/** the longest SKU that can be recorded (and linked: links keep SKUs in a column as long) */
export const MISSING_SKU_MAX_LENGTH = 191;
