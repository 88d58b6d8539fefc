import type { QueryRunner, TableColumnOptions } from "typeorm";

/**
 * Column builders for migrations written with the QueryRunner Table API, so that one migration set
 * creates equivalent schemas on SQLite and on MySQL/MariaDB. No nullable column is ever part of a
 * unique key (NULLs never collide on either database).
 */
export const isMysql = (qr: QueryRunner) => qr.connection.driver.options.type === "mysql";

export function cols(qr: QueryRunner) {
  const mysql = isMysql(qr);
  return {
    uuid: (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
      name,
      type: "varchar",
      length: "36",
      ...extra,
    }),
    pk: (name = "id"): TableColumnOptions => ({ name, type: "varchar", length: "36", isPrimary: true }),
    /** auto-increment 64-bit id for append-only tables (ordering, cursors) */
    serial: (name = "id"): TableColumnOptions => ({
      name,
      type: mysql ? "bigint" : "integer",
      isPrimary: true,
      isGenerated: true,
      generationStrategy: "increment",
    }),
    bigint: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: mysql ? "bigint" : "integer",
      isNullable: nullable,
    }),
    str: (name: string, length: number, nullable = false): TableColumnOptions => ({
      name,
      type: "varchar",
      length: String(length),
      isNullable: nullable,
    }),
    /** long text and JSON: LONGTEXT on MySQL (payloads can exceed 64 KB), TEXT on SQLite */
    text: (name: string, nullable = true): TableColumnOptions => ({
      name,
      type: mysql ? "longtext" : "text",
      isNullable: nullable,
    }),
    int: (name: string, nullable = false, dflt?: number): TableColumnOptions => ({
      name,
      type: "integer",
      isNullable: nullable,
      ...(dflt !== undefined ? { default: dflt } : {}),
    }),
    float: (name: string, nullable = true): TableColumnOptions => ({
      name,
      type: mysql ? "double" : "real",
      isNullable: nullable,
    }),
    bool: (name: string, nullable = false, dflt?: boolean): TableColumnOptions => ({
      name,
      type: "boolean",
      isNullable: nullable,
      ...(dflt !== undefined ? { default: mysql ? (dflt ? 1 : 0) : dflt ? 1 : 0 } : {}),
    }),
    date: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: "datetime",
      precision: mysql ? 3 : undefined,
      isNullable: nullable,
    }),
  };
}
