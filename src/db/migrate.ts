import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Db } from "./db.ts";

const MIGRATIONS_DIR = fileURLToPath(new URL("./migrations/", import.meta.url));
// Any constant works: it only has to be the same for every process of this product.
const MIGRATION_LOCK = 72_634_001;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d+_.+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.split("_")[0]),
      name: file,
      sql: readFileSync(`${dir}${file}`, "utf8"),
    }));
}

/**
 * Applies the numbered migrations not applied yet, each in its own transaction, and
 * records them. A transaction-scoped advisory lock makes a second server process that
 * starts at the same moment wait, then find the work done.
 */
export async function migrate(db: Db, migrations = readMigrations(), options: MigrateOptions = {}): Promise<number[]> {
  const applied: number[] = [];
  for (const migration of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query("select pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
      await tx.query(`create table if not exists schema_migrations (
        version integer primary key,
        name text not null,
        applied_at timestamptz not null default now()
      )`);
      const rows = await tx.query("select 1 from schema_migrations where version = $1", [migration.version]);
      if (rows.length > 0) return false;
      let statements = splitStatements(migration.sql);
      if (options.partitions) statements = statements.flatMap((s) => partitioned(s, options.partitions as number));
      for (const statement of statements) await tx.query(statement);
      await tx.query("insert into schema_migrations (version, name) values ($1, $2)", [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}

export interface MigrateOptions {
  /**
   * Hash-partitions every tenant table (one with a `workspace_id` column) by `workspace_id`
   * into this many partitions. PostgreSQL then demands what Citus demands of a distributed
   * table: every primary key and unique index includes `workspace_id`. The tests run once
   * this way, so a key that would not distribute fails in CI.
   */
  partitions?: number;
}

const CREATE_TABLE = /^create table (\w+) \(([\s\S]*)\);$/i;

/** `create table t (…workspace_id…);` → the same table partitioned by hash, and its partitions. */
export function partitioned(statement: string, partitions: number): string[] {
  const match = CREATE_TABLE.exec(statement.trim());
  const table = match?.[1];
  if (!table || !/^\s*workspace_id\s/m.test(match[2] ?? "")) return [statement];
  const parts = Array.from(
    { length: partitions },
    (_, i) =>
      `create table ${table}_p${i} partition of ${table} for values with (modulus ${partitions}, remainder ${i})`,
  );
  return [`${statement.trim().replace(/;$/, "")} partition by hash (workspace_id)`, ...parts];
}

/**
 * Splits a migration into statements on semicolons at line ends, keeping dollar-quoted
 * bodies (functions) whole; the extended protocol takes one statement per call.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = "";
  let inDollar = false;
  for (const line of sql.split("\n")) {
    if (line.trim().startsWith("--") && !inDollar) continue;
    current += `${line}\n`;
    const dollars = line.match(/\$\$/g)?.length ?? 0;
    if (dollars % 2 === 1) inDollar = !inDollar;
    if (!inDollar && line.trimEnd().endsWith(";")) {
      statements.push(current.trim());
      current = "";
    }
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}
