import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { badInput, notFound } from "../common/errors";
import { IntegrationEntity } from "../db/entities/integration.entity";
import { ValueMappingEntity } from "../db/entities/mapping.entity";
import {
  FEATURE_MAP_KIND,
  parseFeatureTarget,
  featureTarget,
  type FeatureMappingData,
} from "./flows/products/features";

/**
 * The feature mapping of an integration: which Ecwid product attribute (by name) is which CCV
 * product property (group and property, by name). Both product flows use it. Stored as rows of
 * the value-map table under an internal kind (not a ValueMapKind, so setValueMappings cannot touch
 * them): from = the Ecwid attribute name, to = the CCV group and property.
 */
export class FeatureMappingService {
  constructor(private readonly ds: DataSource) {}

  async list(workspaceId: string, integrationId: string): Promise<FeatureMappingData[]> {
    await this.integration(workspaceId, integrationId);
    return this.read(integrationId);
  }

  private async integration(workspaceId: string, id: string): Promise<void> {
    if (!(await this.ds.manager.findOneBy(IntegrationEntity, { id, workspaceId })))
      throw notFound("Integration", id);
  }

  private async read(integrationId: string): Promise<FeatureMappingData[]> {
    const rows = await this.ds.manager.find(ValueMappingEntity, {
      where: { integrationId, kind: FEATURE_MAP_KIND },
      order: { from: "ASC" },
    });
    return rows.flatMap((r) => {
      const t = parseFeatureTarget(r.to);
      return t ? [{ ecwidAttribute: r.from, ...t }] : [];
    });
  }

  /** replaces the whole mapping; every entry is checked first and a bad one refused */
  async set(
    workspaceId: string,
    integrationId: string,
    entries: FeatureMappingData[],
  ): Promise<FeatureMappingData[]> {
    await this.integration(workspaceId, integrationId);
    const seen = new Set<string>();
    const rows = entries.map((e, index) => {
      const attr = e.ecwidAttribute.trim();
      const group = e.ccvPropertyGroup.trim();
      const property = e.ccvProperty.trim();
      if (!attr || !group || !property)
        throw badInput(
          `feature mapping ${index + 1}: ecwidAttribute, ccvPropertyGroup and ccvProperty must not be empty.`,
          { index },
        );
      if (attr.length > 191)
        throw badInput(
          `feature mapping ${index + 1}: the Ecwid attribute name is limited to 191 characters.`,
          { index },
        );
      const to = featureTarget(group, property);
      if (to.length > 200)
        throw badInput(
          `feature mapping ${index + 1}: group and property names are limited to 200 characters together.`,
          { index },
        );
      if (seen.has(attr.toLowerCase()))
        throw badInput(
          `feature mapping for the Ecwid attribute "${attr}" is given twice; one per attribute.`,
          { index },
        );
      seen.add(attr.toLowerCase());
      return { from: attr, to };
    });
    await this.ds.transaction(async (em) => {
      await em.delete(ValueMappingEntity, { integrationId, kind: FEATURE_MAP_KIND });
      for (const r of rows)
        await em.insert(ValueMappingEntity, {
          id: randomUUID(),
          integrationId,
          kind: FEATURE_MAP_KIND,
          from: r.from,
          to: r.to,
        });
    });
    return this.read(integrationId);
  }
}
