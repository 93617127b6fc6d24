/**
 * The export's keyset batches: every contact of a filter exactly once and in the list's
 * order, whatever the batch size, with one batch read at a time or several (ranges found
 * by a query of the keys), and while contacts are added and removed during the read.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ContactFilter, pageQuery } from "../src/contacts/query.ts";
import type { Db } from "../src/db/db.ts";
import { type Keyed, keysetBatches } from "../src/exports/rows.ts";
import { seedContacts, seedWorkspace } from "../src/seed/seed.ts";
import { type DatabaseKind, databases, freshDatabase } from "./server.ts";

describe.each(databases())("keyset batches on %s", (kind: DatabaseKind) => {
  let db: Db;
  let drop: () => Promise<void>;
  let workspaceId: string;
  beforeAll(async () => {
    ({ db, drop } = await freshDatabase(kind));
    const workspace = await seedWorkspace(db, "keyset");
    workspaceId = workspace.id;
    await seedContacts(db, workspace, { count: 57 });
  });
  afterAll(() => drop?.());

  /** The ids of a filter in one query: what the batches must add up to. */
  async function allIds(filter: ContactFilter, sort: string) {
    const { sql, params } = pageQuery(workspaceId, { filter, sort, limit: 100_000, columns: "c.id" });
    return (await db.query<{ id: string }>(sql, params)).map((r) => r.id);
  }

  async function batchedIds(filter: ContactFilter, sort: string, size: number, ahead: number) {
    const ids: string[] = [];
    const progress = { rows: 0 };
    for await (const rows of keysetBatches<Keyed>({
      db,
      workspaceId,
      filter,
      sort,
      progress,
      batchSize: size,
      select: "c.id",
      ahead,
    })) {
      expect(rows.length).toBeGreaterThan(0);
      ids.push(...rows.map((r) => r.id));
    }
    expect(progress.rows).toBe(ids.length);
    return ids;
  }

  it("reads every contact once, in order, for each sort, batch size and number of batches in flight", async () => {
    for (const sort of ["createdAt", "-createdAt", "name", "-lastSeenAt", "updatedAt"]) {
      const expected = await allIds({}, sort);
      expect(expected).toHaveLength(57);
      for (const size of [1, 5, 19, 57, 100]) {
        for (const ahead of [1, 2, 3]) {
          expect(await batchedIds({}, sort, size, ahead), `${sort} by ${size}, ${ahead} ahead`).toEqual(expected);
        }
      }
    }
  });

  it("reads a filtered list the same way", async () => {
    const [language] = await db.query<{ language: string }>(
      "select language from contacts where workspace_id = $1 and language is not null limit 1",
      [workspaceId],
    );
    const filter = { language: language?.language };
    const expected = await allIds(filter, "-createdAt");
    expect(expected.length).toBeGreaterThan(0);
    expect(await batchedIds(filter, "-createdAt", 2, 2)).toEqual(expected);
  });

  it("misses no contact and repeats none while contacts are added and removed during the read", async () => {
    const before = await allIds({}, "createdAt");
    const removed = before[40] as string;
    const seen: string[] = [];
    let changed = false;
    for await (const rows of keysetBatches<Keyed>({
      db,
      workspaceId,
      filter: {},
      sort: "createdAt",
      progress: { rows: 0 },
      batchSize: 4,
      select: "c.id",
      ahead: 2,
    })) {
      seen.push(...rows.map((r) => r.id));
      if (!changed && seen.length >= 8) {
        changed = true;
        // New contacts between existing ones, in a range whose end is known but not read yet
        // (twelve in a range of four, more than a read of it takes at once), and one removed.
        await db.query(
          `insert into contacts (workspace_id, first_name, created_at)
           select $1, 'Added ' || i, c.created_at + interval '1 microsecond'
           from (select created_at from contacts where workspace_id = $1 order by created_at, id offset 12 limit 4) c,
                generate_series(1, 3) i`,
          [workspaceId],
        );
        await db.query("delete from contacts where workspace_id = $1 and id = $2", [workspaceId, removed]);
      }
    }
    expect(new Set(seen).size).toBe(seen.length);
    const stillThere = before.filter((id) => id !== removed);
    expect(stillThere.filter((id) => !seen.includes(id))).toEqual([]);
    // Everything read is in the list's order.
    const after = await allIds({}, "createdAt");
    expect(seen).toEqual(after.filter((id) => seen.includes(id)));
    expect(seen).toHaveLength(after.length);
  });
});
