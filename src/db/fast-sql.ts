import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import type { DataSource, EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from "typeorm";

type Where<T> = Partial<Record<keyof T & string, unknown>>;

/**
 * Plain parameterised statements for the engine's hot path (a few statements per synced item),
 * without TypeORM's query builder and entity hydration, which cost more CPU than the statement
 * itself on SQLite. Portable the way TypeORM is: the SQL is built once per shape from the entity
 * metadata with the driver's identifier quoting and `?` placeholders (SQLite and MySQL/MariaDB),
 * values go through the driver's own conversions (dates, transformers) in both directions, and
 * statements run on the caller's transaction (`em`) or the data source's runner — so the SQLite
 * gate and the query observers see them like any other statement. Errors are TypeORM's
 * `QueryFailedError` as before (`isDuplicateKeyError` works unchanged).
 */
export class FastSql<T extends ObjectLiteral> {
  private readonly meta: EntityMetadata;
  private readonly table: string;
  private readonly byProp = new Map<string, ColumnMetadata>();
  private readonly cache = new Map<string, string>();
  private readonly selectList: string;

  constructor(
    private readonly ds: DataSource,
    entity: EntityTarget<T>,
  ) {
    this.meta = ds.getMetadata(entity);
    const q = (n: string) => ds.driver.escape(n);
    this.table = q(this.meta.tableName);
    for (const c of this.meta.columns) this.byProp.set(c.propertyName, c);
    this.selectList = this.meta.columns.map((c) => q(c.databaseName)).join(", ");
  }

  private col(prop: string): ColumnMetadata {
    const c = this.byProp.get(prop);
    if (!c) throw new Error(`${this.meta.name} has no column ${prop}`);
    return c;
  }

  private q(prop: string): string {
    return this.ds.driver.escape(this.col(prop).databaseName);
  }

  private value(prop: string, v: unknown): unknown {
    return this.ds.driver.preparePersistentValue(v, this.col(prop));
  }

  private sql(key: string, build: () => string): string {
    let s = this.cache.get(key);
    if (s === undefined) {
      s = build();
      this.cache.set(key, s);
    }
    return s;
  }

  private async run(em: EntityManager | undefined, sql: string, params: unknown[]) {
    const own = em?.queryRunner;
    const qr = own ?? this.ds.createQueryRunner();
    try {
      return await qr.query(sql, params, true);
    } finally {
      if (!own) await qr.release();
    }
  }

  private hydrate(raw: Record<string, unknown>): T {
    const e = {} as Record<string, unknown>;
    for (const c of this.meta.columns) {
      e[c.propertyName] = this.ds.driver.prepareHydratedValue(raw[c.databaseName], c);
    }
    return e as T;
  }

  /** rows matching any of the groups (each group: columns equal to values, AND) */
  async find(where: Where<T>[], em?: EntityManager): Promise<T[]> {
    const groups = where.map((w) => Object.keys(w));
    const key = "S" + groups.map((g) => g.join(",")).join("|");
    const sql = this.sql(
      key,
      () =>
        `SELECT ${this.selectList} FROM ${this.table} WHERE ` +
        groups.map((g) => "(" + g.map((p) => `${this.q(p)} = ?`).join(" AND ") + ")").join(" OR "),
    );
    const params = where.flatMap((w) => Object.entries(w).map(([p, v]) => this.value(p, v)));
    const res = await this.run(em, sql, params);
    return ((res.records ?? []) as Record<string, unknown>[]).map((r) => this.hydrate(r));
  }

  async findOne(where: Where<T>, em?: EntityManager): Promise<T | null> {
    return (await this.find([where], em))[0] ?? null;
  }

  async insert(row: Where<T>, em?: EntityManager): Promise<void> {
    // an undefined value is left to the column's default, as TypeORM's insert does
    const props = Object.keys(row).filter((p) => row[p as keyof typeof row] !== undefined);
    const sql = this.sql(
      "I" + props.join(","),
      () =>
        `INSERT INTO ${this.table} (${props.map((p) => this.q(p)).join(", ")}) VALUES (${props.map(() => "?").join(", ")})`,
    );
    await this.run(
      em,
      sql,
      props.map((p) => this.value(p, row[p as keyof typeof row])),
    );
  }

  /** inserts a row of a table with a generated numeric id and returns that id */
  async insertReturningId(row: Where<T>, em?: EntityManager): Promise<number> {
    const props = Object.keys(row).filter((p) => row[p as keyof typeof row] !== undefined);
    const sql = this.sql(
      "I" + props.join(","),
      () =>
        `INSERT INTO ${this.table} (${props.map((p) => this.q(p)).join(", ")}) VALUES (${props.map(() => "?").join(", ")})`,
    );
    const res = await this.run(
      em,
      sql,
      props.map((p) => this.value(p, row[p as keyof typeof row])),
    );
    // better-sqlite3: the last insert rowid; mysql/mariadb: the OK packet's insertId
    const raw = res.raw as unknown;
    const id =
      typeof raw === "number" || typeof raw === "bigint"
        ? raw
        : (raw as { insertId?: number } | null)?.insertId;
    if (id === undefined || id === null) throw new Error(`${this.meta.name}: the insert returned no id`);
    return Number(id);
  }

  /**
   * Inserts the row, or, when a row with the same `key` columns (a primary or unique key) exists,
   * sets its other given columns: one statement (SQLite `ON CONFLICT … DO UPDATE`, MySQL/MariaDB
   * `ON DUPLICATE KEY UPDATE`).
   */
  async upsert(row: Where<T>, key: (keyof T & string)[], em?: EntityManager): Promise<void> {
    const props = Object.keys(row).filter((p) => row[p as keyof typeof row] !== undefined);
    const rest = props.filter((p) => !key.includes(p as keyof T & string));
    if (rest.length === 0)
      throw new Error(`${this.meta.name}: an upsert sets at least one column besides the key`);
    const sql = this.sql("UP" + props.join(",") + "|" + key.join(","), () => {
      const insert = `INSERT INTO ${this.table} (${props.map((p) => this.q(p)).join(", ")}) VALUES (${props.map(() => "?").join(", ")})`;
      if (this.ds.options.type === "mysql" || this.ds.options.type === "mariadb")
        return `${insert} ON DUPLICATE KEY UPDATE ${rest.map((p) => `${this.q(p)} = VALUES(${this.q(p)})`).join(", ")}`;
      return `${insert} ON CONFLICT (${key.map((p) => this.q(p)).join(", ")}) DO UPDATE SET ${rest.map((p) => `${this.q(p)} = excluded.${this.q(p)}`).join(", ")}`;
    });
    await this.run(
      em,
      sql,
      props.map((p) => this.value(p, row[p as keyof typeof row])),
    );
  }

  /**
   * The number of rows changed. `add` adds numbers to columns (`col = col + ?`), with the other
   * columns set in the same statement.
   */
  async update(
    where: Where<T>,
    set: Where<T>,
    em?: EntityManager,
    add: Partial<Record<keyof T & string, number>> = {},
  ): Promise<number> {
    const w = Object.keys(where);
    const s = Object.keys(set);
    const a = Object.keys(add);
    const sql = this.sql(
      "U" + s.join(",") + "|" + a.join(",") + "|" + w.join(","),
      () =>
        `UPDATE ${this.table} SET ` +
        [...a.map((p) => `${this.q(p)} = ${this.q(p)} + ?`), ...s.map((p) => `${this.q(p)} = ?`)].join(", ") +
        " WHERE " +
        w.map((p) => `${this.q(p)} = ?`).join(" AND "),
    );
    const params = [
      ...a.map((p) => add[p as keyof typeof add]),
      ...s.map((p) => this.value(p, set[p as keyof typeof set])),
      ...w.map((p) => this.value(p, where[p as keyof typeof where])),
    ];
    return (await this.run(em, sql, params)).affected ?? 0;
  }

  async delete(where: Where<T>, em?: EntityManager): Promise<number> {
    const w = Object.keys(where);
    const sql = this.sql(
      "D" + w.join(","),
      () => `DELETE FROM ${this.table} WHERE ` + w.map((p) => `${this.q(p)} = ?`).join(" AND "),
    );
    return (
      (
        await this.run(
          em,
          sql,
          w.map((p) => this.value(p, where[p as keyof typeof where])),
        )
      ).affected ?? 0
    );
  }
}
