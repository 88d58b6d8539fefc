import { Column, type ColumnOptions, type ValueTransformer } from "typeorm";

/**
 * Column helpers that mean the same on SQLite and MySQL/MariaDB. Migrations create the real
 * types (see migrations/lib.ts); these only tell TypeORM how to read and write them.
 */

/** timestamps with milliseconds, always UTC */
export const DateColumn = (name: string, opts: Partial<ColumnOptions> = {}) =>
  Column({ name, type: "datetime", precision: 3, ...opts });

const jsonTransformer: ValueTransformer = {
  to: (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v)),
  from: (v: unknown) => (typeof v === "string" ? JSON.parse(v) : (v ?? null)),
};

/** JSON kept as text (LONGTEXT on MySQL): portable and never re-ordered by the database */
export const JsonColumn = (name: string, opts: Partial<ColumnOptions> = {}) =>
  Column({ name, type: "text", nullable: true, transformer: jsonTransformer, ...opts });

export const IdColumn = (name: string, opts: Partial<ColumnOptions> = {}) =>
  Column({ name, type: "varchar", length: 36, ...opts });

/** MySQL returns BIGINT as a string; ids of append-only tables are numbers in code. */
export const bigintNumber: ValueTransformer = {
  to: (v: unknown) => v,
  from: (v: unknown) => (v === null || v === undefined ? v : Number(v)),
};

/**
 * A value for a JSON column in insert/update calls. TypeORM's QueryDeepPartialEntity cannot express
 * JSON-typed (unknown) properties; the JSON transformer serialises the value as it is.
 */
export const json = <T>(v: T): never => v as never;
