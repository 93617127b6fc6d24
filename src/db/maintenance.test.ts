/**
 * The embedded database's autovacuum on a real PGlite: autovacuum's thresholds, the
 * periodic check catching changes made one statement at a time, start-up's look at table
 * sizes, and a PostgreSQL-server database left to autovacuum.
 */
import { afterEach, describe, expect, it } from "vitest";
import { freshDatabase } from "../../test/server.ts";
import type { Db } from "./db.ts";
import {
  maintainSoon,
  maintainTables,
  maintenanceIdle,
  needs,
  startMaintenance,
  type TableMaintenance,
} from "./maintenance.ts";

const defaults = {
  vacuumThreshold: 50,
  vacuumScale: 0.2,
  vacuumMax: 100_000_000,
  insertThreshold: 1000,
  insertScale: 0.2,
  analyzeThreshold: 50,
  analyzeScale: 0.1,
};
const table = { table: "t", reltuples: 1000, relpages: 10, pages: 10, modified: 0, dead: 0, inserted: 0 };

describe("autovacuum's thresholds", () => {
  it("analyses past 50 + 10 % changed rows and vacuums past 50 + 20 % dead or 1000 + 20 % inserted", () => {
    expect(needs({ ...table, modified: 150 }, defaults, false)).toMatchObject({ analyze: false, vacuum: false });
    expect(needs({ ...table, modified: 151 }, defaults, false)).toMatchObject({ analyze: true, vacuum: false });
    expect(needs({ ...table, dead: 250 }, defaults, false)).toMatchObject({ vacuum: false });
    expect(needs({ ...table, dead: 251 }, defaults, false)).toMatchObject({ vacuum: true });
    expect(needs({ ...table, inserted: 1201 }, defaults, false)).toMatchObject({ vacuum: true });
    // A table never analysed (reltuples -1) counts from zero rows.
    expect(needs({ ...table, reltuples: -1, modified: 51 }, defaults, false)).toMatchObject({ analyze: true });
  });

  it("at start-up counts growth on disk since the statistics as changes, and a table never analysed as changed", () => {
    // 10 → 12 pages at 100 rows a page: 200 rows more, past 50 + 100.
    expect(needs({ ...table, pages: 12 }, defaults, true)).toMatchObject({ analyze: true, vacuum: false });
    expect(needs({ ...table, pages: 11 }, defaults, true)).toMatchObject({ analyze: false });
    expect(needs({ ...table, reltuples: -1, relpages: 0, pages: 1 }, defaults, true)).toMatchObject({ analyze: true });
    expect(needs({ ...table, pages: 12 }, defaults, false)).toMatchObject({ analyze: false });
  });
});

describe("maintenance passes on PGlite", () => {
  let db: Db | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  async function stats(name: string) {
    const [row] = await (db as Db).query<{
      last_analyze: string | null;
      last_vacuum: string | null;
      n_dead_tup: number;
    }>("select last_analyze, last_vacuum, n_dead_tup::int from pg_stat_user_tables where relname = $1", [name]);
    return row;
  }

  it("checks the counters periodically and analyses and vacuums a table that changed", async () => {
    ({ db } = await freshDatabase("pglite"));
    const passes: TableMaintenance[][] = [];
    let wake: () => void = () => {};
    await startMaintenance(db, {
      intervalMs: 20,
      onPass: (done) => {
        passes.push(done);
        wake();
      },
    });
    await db.query("create table scratch (id int primary key, v text)");
    await db.query("insert into scratch select g, 'a' from generate_series(1, 2000) g");
    const next = (name: string) =>
      new Promise<TableMaintenance>((resolve) => {
        wake = () => {
          const done = passes.at(-1)?.find((t) => t.table === name);
          if (done) resolve(done);
        };
      });
    const first = await next("scratch");
    expect(first).toMatchObject({ analyzed: true, vacuumed: true });
    const after = await stats("scratch");
    expect(after?.last_analyze).not.toBeNull();

    // 30 % updated one statement at a time: dead rows past 50 + 20 %, changes past 50 + 10 %.
    const vacuumedAt = after?.last_vacuum as string;
    for (let id = 1; id <= 600; id += 100)
      await db.query("update scratch set v = 'b' where id between $1 and $1 + 99", [id]);
    const second = await next("scratch");
    expect(second).toMatchObject({ analyzed: true, vacuumed: true });
    const again = await stats("scratch");
    expect(Date.parse(again?.last_vacuum as string)).toBeGreaterThan(Date.parse(vacuumedAt));
    expect(again?.n_dead_tup).toBe(0);
  });

  it("leaves a table whose changes are below the thresholds alone, and closes while a pass is asked for", async () => {
    ({ db } = await freshDatabase("pglite"));
    await db.query("create table quiet (id int primary key)");
    await db.query("insert into quiet select generate_series(1, 2000)");
    expect((await maintainTables(db)).map((t) => t.table)).toContain("quiet");
    await db.query("delete from quiet where id <= 100");
    expect((await maintainTables(db)).map((t) => t.table)).not.toContain("quiet");
    maintainSoon(db);
    await db.close();
    db = undefined;
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)("does nothing on a PostgreSQL server, where autovacuum runs", async () => {
    const pg = await freshDatabase("postgres");
    try {
      await pg.db.query("create table busy (id int primary key)");
      await pg.db.query("insert into busy select generate_series(1, 5000)");
      expect(await maintainTables(pg.db)).toEqual([]);
      await startMaintenance(pg.db, { intervalMs: 10 });
      maintainSoon(pg.db);
      await maintenanceIdle(pg.db);
    } finally {
      await pg.drop();
    }
  });
});
