/**
 * Scale-out readiness: the tenant tables hash-partitioned by workspace_id, which imposes
 * Citus's rule (every primary key and unique index includes the distribution column).
 * The whole API suite also runs this way in CI (TEST_PARTITIONS=4, see .ci/run); this
 * file checks the migration option itself and the answers that depend on index names.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { partitioned, splitStatements } from "../src/db/migrate.ts";
import { createWorkspace, startServer, type TestServer, type Workspace } from "./server.ts";

describe("the partitioning option of the migrations", () => {
  it("turns a tenant table into a hash-partitioned one with its partitions, and leaves the others", () => {
    const [tenant] = splitStatements("create table t (\n  workspace_id uuid not null,\n  id uuid\n);\n");
    expect(partitioned(tenant as string, 3)).toEqual([
      "create table t (\n  workspace_id uuid not null,\n  id uuid\n) partition by hash (workspace_id)",
      "create table t_p0 partition of t for values with (modulus 3, remainder 0)",
      "create table t_p1 partition of t for values with (modulus 3, remainder 1)",
      "create table t_p2 partition of t for values with (modulus 3, remainder 2)",
    ]);
    const reference = "create table workspaces (\n  id uuid primary key\n);";
    expect(partitioned(reference, 3)).toEqual([reference]);
    expect(partitioned("create index x on t (id);", 3)).toEqual(["create index x on t (id);"]);
  });
});

const url = process.env.TEST_DATABASE_URL;
if (!url && process.env.REQUIRE_PG === "1") throw new Error("REQUIRE_PG=1 but TEST_DATABASE_URL is not set");

describe.skipIf(!url)("the API on tables partitioned by workspace_id", () => {
  let server: TestServer;
  let ws: Workspace;
  beforeAll(async () => {
    server = await startServer("postgres", {}, { partitions: 4 });
    ws = await createWorkspace(server);
  });
  afterAll(() => server?.close());

  it("partitions every table that has a workspace_id, and only those", async () => {
    const rows = await server.db.query<{ table: string; partitioned: boolean }>(
      `select c.relname as table, c.relkind = 'p' as partitioned
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
         and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'workspace_id')`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(8);
    for (const row of rows) expect(row, row.table).toMatchObject({ partitioned: true });
    const [workspaces] = await server.db.query<{ relkind: string }>(
      "select relkind from pg_class where relname = 'workspaces'",
    );
    expect(workspaces?.relkind).toBe("r");
  });

  it("answers 409 naming the field and the holder when a partition's unique index refuses a write", async () => {
    const first = await ws.operator.post("/contacts", {
      firstName: "First",
      email: "taken@example.com",
      phone: "+31611111111",
      externalId: "crm-1",
    });
    expect(first.status).toBe(201);
    for (const [field, value] of [
      ["email", "TAKEN@example.com"],
      ["phone", "06 11111111"],
      ["externalId", "crm-1"],
    ] as const) {
      const again = await ws.operator.post("/contacts", { firstName: "Second", [field]: value });
      expect(again.status, again.text).toBe(409);
      expect(again.body).toMatchObject({ field, conflictingContactId: first.body.id });
      const other = (await ws.operator.post("/contacts", { firstName: "Third" })).body;
      const patched = await ws.operator.patch(`/contacts/${other.id}`, { [field]: value });
      expect(patched.status, patched.text).toBe(409);
      expect(patched.body).toMatchObject({ field, conflictingContactId: first.body.id });
    }
  });
});
