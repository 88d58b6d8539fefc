import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { LinkEntity } from "../../db/entities/link.entity";
import { isDuplicateKeyError } from "../../db/data-source";
import { FastSql } from "../../db/fast-sql";
import type { LinkKindName } from "./link-kinds";
import type { LinkWrite } from "./flow-definition";

/**
 * Links of one integration: (entity, Ecwid id) ⇄ (entity, CCV id), unique on both sides.
 * Writes are insert-then-recover: a duplicate key means another worker linked the pair first.
 */
export class LinkStore {
  private fast: FastSql<LinkEntity> | undefined;

  constructor(
    private readonly ds: DataSource,
    readonly integrationId: string,
  ) {}

  /** built on first use (the in-memory LinkStore of unit tests has no data source) */
  private get sql(): FastSql<LinkEntity> {
    return (this.fast ??= new FastSql(this.ds, LinkEntity));
  }

  async byEcwid(entity: LinkKindName, ecwidId: string, em?: EntityManager): Promise<LinkEntity | null> {
    return this.sql.findOne({ integrationId: this.integrationId, entity, ecwidId }, em);
  }

  async byCcv(entity: LinkKindName, ccvId: string, em?: EntityManager): Promise<LinkEntity | null> {
    return this.sql.findOne({ integrationId: this.integrationId, entity, ccvId }, em);
  }

  /** the links of either side of a pair, in one statement: by the Ecwid id and by the CCV id */
  async bothSides(
    entity: LinkKindName,
    ecwidId: string,
    ccvId: string,
  ): Promise<{ byEcwid: LinkEntity | null; byCcv: LinkEntity | null }> {
    const rows = await this.sql.find([
      { integrationId: this.integrationId, entity, ecwidId },
      { integrationId: this.integrationId, entity, ccvId },
    ]);
    return {
      byEcwid: rows.find((r) => r.ecwidId === ecwidId) ?? null,
      byCcv: rows.find((r) => r.ccvId === ccvId) ?? null,
    };
  }

  async bySku(entity: LinkKindName, sku: string): Promise<LinkEntity | null> {
    return this.sql.findOne({ integrationId: this.integrationId, entity, sku });
  }

  /**
   * Records a link (or refreshes the hashes of the existing one) inside the caller's transaction.
   * A pair that conflicts with a different existing pair is an integrity problem and throws.
   */
  async upsert(em: EntityManager, w: LinkWrite): Promise<void> {
    const now = new Date();
    try {
      // insert-then-recover: the common case (a new pair) costs one statement
      await this.sql.insert(
        {
          id: randomUUID(),
          integrationId: this.integrationId,
          entity: w.entity,
          ecwidId: w.ecwidId,
          ccvId: w.ccvId,
          createdBy: w.createdBy,
          hashToCcv: w.hashToCcv ?? "",
          hashToEcwid: w.hashToEcwid ?? "",
          sku: w.sku ?? null,
          createdAt: now,
          updatedAt: now,
        },
        em,
      );
      return;
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
    }
    const existing =
      (await em.findOneBy(LinkEntity, {
        integrationId: this.integrationId,
        entity: w.entity,
        ecwidId: w.ecwidId,
      })) ??
      (await em.findOneBy(LinkEntity, {
        integrationId: this.integrationId,
        entity: w.entity,
        ccvId: w.ccvId,
      }));
    if (
      existing &&
      (existing.ecwidId !== w.ecwidId || existing.ccvId !== w.ccvId) &&
      w.entity === "VARIANT" &&
      w.repoint
    ) {
      // stale variant links of either id are retired, then the pair is recorded afresh
      await em.delete(LinkEntity, {
        integrationId: this.integrationId,
        entity: w.entity,
        ecwidId: w.ecwidId,
      });
      await em.delete(LinkEntity, { integrationId: this.integrationId, entity: w.entity, ccvId: w.ccvId });
      const { repoint: _repoint, ...pair } = w;
      return this.upsert(em, pair);
    }
    if (!existing || existing.ecwidId !== w.ecwidId || existing.ccvId !== w.ccvId) {
      throw new Error(
        `${w.entity} Ecwid ${w.ecwidId} / CCV ${w.ccvId} conflicts with the existing link` +
          (existing ? ` Ecwid ${existing.ecwidId} ⇄ CCV ${existing.ccvId}` : ""),
      );
    }
    await em.update(
      LinkEntity,
      { id: existing.id },
      {
        updatedAt: now,
        ...(w.hashToCcv !== undefined ? { hashToCcv: w.hashToCcv } : {}),
        ...(w.hashToEcwid !== undefined ? { hashToEcwid: w.hashToEcwid } : {}),
        ...(w.sku !== undefined ? { sku: w.sku } : {}),
      },
    );
  }
}
