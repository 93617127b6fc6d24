/**
 * The embedded database keeps its own statistics (src/db/maintenance.ts): 100,000
 * contacts seeded with `npm run seed`, then the server started on that DATA_DIR the way
 * `src/main.ts` starts it. Its first search already goes through the trigram index, and
 * after an import has updated 30 % of the contacts, the table has been vacuumed and
 * analysed again, as autovacuum would have on a PostgreSQL server.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.ts";
import { newSecret } from "../src/auth/secrets.ts";
import { readConfig } from "../src/config.ts";
import { isNarrowSearch, pageQuery } from "../src/contacts/query.ts";
import type { Db } from "../src/db/db.ts";
import { maintenanceIdle } from "../src/db/maintenance.ts";
import { openDatabase } from "../src/db/open.ts";
import { generateContact } from "../src/seed/generate.ts";
import { csv, importFile } from "./imports-helpers.ts";
import { Client, type TestServer } from "./server.ts";

const CONTACTS = 100_000;

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}
const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

interface TableStats {
  n_live_tup: number;
  n_dead_tup: number;
  n_mod_since_analyze: number;
  last_analyze: string | null;
  last_vacuum: string | null;
  reltuples: number;
}

async function contactStats(db: Db): Promise<TableStats> {
  await db.query("select pg_stat_force_next_flush()");
  const [row] = await db.query<TableStats>(
    `select s.n_live_tup::int, s.n_dead_tup::int, s.n_mod_since_analyze::int, s.last_analyze, s.last_vacuum,
            c.reltuples::int as reltuples
     from pg_stat_user_tables s join pg_class c on c.oid = s.relid where s.relname = 'contacts'`,
  );
  return row as TableStats;
}

function seed(dataDir: string): Promise<string> {
  const child = spawn("npm", ["run", "seed", "--", "--workspace", "demo", "--contacts", String(CONTACTS)], {
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  return new Promise((resolve, reject) =>
    child.on("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`seed exited ${code}:\n${output}`)))),
  );
}

describe("the embedded database's statistics at 100,000 seeded contacts", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "contacts-maintenance-"));
  let db: Db;
  let server: TestServer;
  let admin: Client;
  let workspaceId: string;

  beforeAll(async () => {
    const output = await seed(dataDir);
    expect(output).toContain(`Added ${CONTACTS.toLocaleString("en")} contacts`);
    // The server's own start (src/main.ts): open the database, then serve.
    db = await openDatabase({ databaseUrl: undefined, dataDir });
    const config = { ...readConfig({}), port: 0 };
    const app = await buildApp({ db, config, logger: false });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const address = app.server.address();
    const origin = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    server = {
      url: `${origin}/api/v1`,
      origin,
      db,
      config,
      async close() {
        await app.close();
        await db.close();
      },
    };
    const [workspace] = await db.query<{ id: string }>("select id from workspaces where slug = 'demo'");
    workspaceId = (workspace as { id: string }).id;
    const { secret, hash } = newSecret("ctk_", workspaceId);
    await db.query("insert into api_tokens (workspace_id, name, role, token_hash) values ($1, 'test', 'admin', $2)", [
      workspaceId,
      hash,
    ]);
    admin = new Client(server, { token: secret });
  }, 600_000);

  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("plans the first search with the trigram index", async () => {
    // The statistics the seed left: the planner knows the table's size.
    expect((await contactStats(db)).reltuples).toBeGreaterThan(CONTACTS * 0.9);
    const rare = (generateContact(54_321).email ?? generateContact(54_322).email) as string;
    const q = rare.split("@")[0] as string;
    const filter = { q, tagIds: [] };
    const narrow = await isNarrowSearch(db, workspaceId, filter, "-createdAt");
    const { sql, params } = pageQuery(workspaceId, { filter, sort: "-createdAt", limit: 51, narrow });
    const [row] = await db.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(`explain (format json) ${sql}`, params);
    const plan = nodes((row as { "QUERY PLAN": [{ Plan: PlanNode }] })["QUERY PLAN"][0].Plan);
    const text = JSON.stringify(plan.map((n) => [n["Node Type"], n["Relation Name"], n["Index Name"]]));
    expect(
      plan.some((n) => n["Index Name"] === "contacts_search_idx"),
      text,
    ).toBe(true);
    expect(
      plan.filter((n) => n["Node Type"] === "Seq Scan" && n["Relation Name"] === "contacts"),
      text,
    ).toEqual([]);

    const found = await admin.get(`/contacts?q=${encodeURIComponent(q)}`);
    expect(found.status).toBe(200);
    expect(found.body.items.map((c: { email: string }) => c.email)).toContain(rare);
  });

  it("vacuums and analyses the contacts again after an import updated 30 % of them", async () => {
    const before = await contactStats(db);
    const ids = await db.query<{ id: string }>(
      "select id from contacts where workspace_id = $1 order by created_at limit $2",
      [workspaceId, CONTACTS * 0.3],
    );
    const file = csv(["ID;Last name", ...ids.map((r, i) => `${r.id};Updated ${i}`)]);
    const result = await importFile(admin, "updates.csv", file, { onDuplicate: "update" });
    expect(result.status).toBe("finished");
    expect(result.result).toMatchObject({ updated: CONTACTS * 0.3, failed: 0 });

    await maintenanceIdle(db);
    const after = await contactStats(db);
    expect(after.last_analyze, JSON.stringify({ before, after })).not.toBeNull();
    expect(after.last_vacuum, JSON.stringify({ before, after })).not.toBeNull();
    if (before.last_analyze)
      expect(Date.parse(after.last_analyze as string)).toBeGreaterThan(Date.parse(before.last_analyze));
    if (before.last_vacuum)
      expect(Date.parse(after.last_vacuum as string)).toBeGreaterThan(Date.parse(before.last_vacuum));
    // The updates' dead rows are reclaimed and the statistics count them no more.
    expect(after.n_dead_tup, JSON.stringify(after)).toBeLessThan(CONTACTS * 0.01);
    expect(after.n_mod_since_analyze, JSON.stringify(after)).toBeLessThan(CONTACTS * 0.01);
    const [updated] = await db.query<{ n: number }>(
      "select count(*)::int as n from contacts where workspace_id = $1 and last_name like 'Updated %'",
      [workspaceId],
    );
    expect(updated?.n).toBe(CONTACTS * 0.3);
  }, 300_000);
});
