import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../src/db/db.ts";
import { migrate, readMigrations } from "../src/db/migrate.ts";
import { openPostgres } from "../src/db/postgres.ts";
import {
  addTags,
  catalogueTags,
  deleteTag,
  linkTags,
  listTags,
  removeTag,
  replaceTags,
} from "../src/tags/repository.ts";
import { type DatabaseKind, databases, freshDatabase } from "./server.ts";

// The tenant table itself (its id is the workspace id) and the migration log are the only
// tables not keyed by workspace_id.
const GLOBAL_TABLES = new Set(["workspaces", "schema_migrations"]);

describe.each(databases())("schema on %s", (kind: DatabaseKind) => {
  let db: Db;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ db, drop } = await freshDatabase(kind));
  });
  afterAll(() => drop?.());

  it("starts every primary key and unique index with workspace_id", async () => {
    const indexes = await db.query<{ table: string; index: string; first: string | null }>(`
      select t.relname as table, i.relname as index, a.attname as first
      from pg_index x
      join pg_class i on i.oid = x.indexrelid
      join pg_class t on t.oid = x.indrelid
      join pg_namespace n on n.oid = t.relnamespace
      left join pg_attribute a on a.attrelid = t.oid and a.attnum = x.indkey[0]
      where n.nspname = 'public' and (x.indisunique or x.indisprimary)`);
    const tenantIndexes = indexes.filter((i) => !GLOBAL_TABLES.has(i.table));
    expect(tenantIndexes.length).toBeGreaterThan(8);
    const offenders = tenantIndexes.filter((i) => i.first !== "workspace_id").map((i) => `${i.table}.${i.index}`);
    expect(offenders).toEqual([]);
  });

  it("keeps each contact's tag_ids sorted, distinct and in the catalogue, whatever changes them", async () => {
    const [ws] = await db.query<{ id: string }>(
      "insert into workspaces (slug, name, cursor_secret) values ('tag-ids', 'Tag ids', '\\x00') returning id",
    );
    const w = (ws as { id: string }).id;
    const contacts = await db.query<{ id: string }>(
      "insert into contacts (workspace_id, first_name) select $1, 'n' || i from generate_series(1, 3) i returning id",
      [w],
    );
    const [x, y, z] = contacts.map((r) => r.id) as [string, string, string];
    const ids = await catalogueTags(db, w, ["A", "B", "C", "D"]);
    const [a, b, c] = ["a", "b", "c"].map((k) => ids.get(k) as string) as [string, string, string];
    const names = async () =>
      (
        await db.query<{ names: string[] }>(
          `select array(select t.name from tags t where t.workspace_id = c.workspace_id and t.id = any(c.tag_ids)
                        order by t.name) as names
           from contacts c where c.workspace_id = $1 order by c.first_name`,
          [w],
        )
      ).map((r) => r.names);
    const check = async () => {
      const rows = await db.query<{ tag_ids: string[]; known: string[] }>(
        `select c.tag_ids::text[] as tag_ids,
           array(select t.id::text from tags t where t.workspace_id = c.workspace_id and t.id = any(c.tag_ids)
                 order by t.id) as known
         from contacts c where c.workspace_id = $1`,
        [w],
      );
      for (const row of rows) {
        expect(row.tag_ids).toEqual([...new Set(row.tag_ids)].sort());
        expect(row.tag_ids).toEqual(row.known);
      }
    };

    await db.transaction((tx) => linkTags(tx, w, { contactIds: [x, x, x, y, z, z], tagIds: [c, a, b, b, c, c] }));
    await check();
    expect(await names()).toEqual([["A", "B", "C"], ["B"], ["C"]]);
    await db.transaction((tx) => addTags(tx, w, y, ["d", "B", "a", "D"]));
    await check();
    expect(await names()).toEqual([["A", "B", "C"], ["A", "B", "D"], ["C"]]);
    expect(await db.transaction((tx) => removeTag(tx, w, x, "a"))).toBe(true);
    expect(await db.transaction((tx) => removeTag(tx, w, x, "a"))).toBe(false);
    await check();
    await db.transaction((tx) => replaceTags(tx, w, z, ["D", "b", "d", "New"]));
    await check();
    expect(await names()).toEqual([
      ["B", "C"],
      ["A", "B", "D"],
      ["B", "D", "New"],
    ]);
    expect(await db.transaction((tx) => deleteTag(tx, w, "b"))).toBe("B");
    await check();
    expect(await names()).toEqual([["C"], ["A", "D"], ["D", "New"]]);
    await db.transaction((tx) => replaceTags(tx, w, y, []));
    await db.query("delete from contacts where workspace_id = $1 and id = $2", [w, z]);
    await check();
    expect(await names()).toEqual([["C"], []]);
    expect(await listTags(db, w)).toEqual([
      { name: "A", contactCount: 0 },
      { name: "C", contactCount: 1 },
      { name: "D", contactCount: 0 },
      { name: "New", contactCount: 0 },
    ]);
    await db.query("delete from workspaces where id = $1", [w]);
  });

  it("records every migration once, and migrating again changes nothing", async () => {
    const applied = await db.query<{ version: number }>("select version from schema_migrations order by version");
    expect(applied.map((r) => r.version)).toEqual(readMigrations().map((m) => m.version));
    expect(await migrate(db)).toEqual([]);
  });
});

// Only the PostgreSQL server has several processes to race; PGlite is locked to one.
if (process.env.TEST_DATABASE_URL) {
  describe("migrations on the PostgreSQL server", () => {
    it("migrates safely when two processes start at once", async () => {
      const { url: fresh, drop: dropFresh } = await freshEmptyPostgres();
      const a = openPostgres(fresh);
      const b = openPostgres(fresh);
      try {
        const [first, second] = await Promise.all([migrate(a), migrate(b)]);
        expect([...first, ...second].sort()).toEqual(readMigrations().map((m) => m.version));
      } finally {
        await a.close();
        await b.close();
        await dropFresh();
      }
    });
  });
}

async function freshEmptyPostgres() {
  const pg = (await import("pg")).default;
  const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await admin.connect();
  const name = `contacts_m_${Date.now()}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(process.env.TEST_DATABASE_URL as string);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
