import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import type { Db } from "../src/db/db.ts";
import { openPglite } from "../src/db/pglite.ts";
import { openPostgres } from "../src/db/postgres.ts";
import { upload } from "./imports-helpers.ts";
import { type ServerProcess, spawnServer } from "./process.ts";
import { Client, databases, freshDatabase, type TestServer } from "./server.ts";

const ROWS = 10_000;

async function kill(server: ServerProcess) {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill("SIGKILL");
  await server.exited;
}

/** The import's row as the database holds it, read with the server down. */
async function stored<T>(env: Record<string, string>, read: (db: Db) => Promise<T>): Promise<T> {
  const db = env.DATABASE_URL ? openPostgres(env.DATABASE_URL, 1) : await openPglite({ dataDir: env.DATA_DIR });
  try {
    return await read(db);
  } finally {
    await db.close();
  }
}

describe.each(databases())("an import killed mid-way on %s", (kind) => {
  const servers: ServerProcess[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const server of servers) await kill(server);
    for (const cleanup of cleanups) await cleanup();
  });

  /** The real server in a child process, as `npm start` runs it (without the web build). */
  async function start(env: Record<string, string>): Promise<TestServer> {
    const server = await spawnServer({
      ...env,
      HOST: "127.0.0.1",
      ALLOW_SIGNUP: "1",
      IMPORT_BATCH_ROWS: "200",
      IMPORT_LEASE_SECONDS: "2",
    });
    servers.push(server);
    return { url: server.url, origin: server.origin } as TestServer;
  }

  it("finishes after a restart, with no row twice and none missing", { timeout: 180_000 }, async () => {
    let env: Record<string, string>;
    if (kind === "pglite") {
      const dir = mkdtempSync(join(tmpdir(), "contacts-import-"));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      env = { DATA_DIR: dir };
    } else {
      const database = await freshDatabase("postgres");
      cleanups.push(database.drop);
      env = { DATABASE_URL: database.url as string };
    }
    const server = await start(env);
    const first = servers.at(-1) as ServerProcess;
    const setup = await new Client(server).post("/setup", {
      workspaceName: "Restart",
      name: "Ann Admin",
      email: "ann@example.com",
      password: "correct horse battery staple",
    });
    const session = new Client(server, { cookie: (setup.headers.get("set-cookie") ?? "").split(";")[0] });
    const token = (await session.post("/tokens", { name: "import", role: "admin" })).body.token;
    const admin = new Client(server, { token });

    const lines = ["First name,Last name,Email,Phone"];
    for (let i = 0; i < ROWS; i++) lines.push(`P${i},Row ${i},p${i}@example.com,+3161${String(i).padStart(7, "0")}`);
    const uploaded = await upload(admin, "big.csv", `${lines.join("\n")}\n`);
    expect(uploaded.status).toBe(202);
    const id = uploaded.body.id;
    for (;;) {
      const got = await admin.get(`/imports/${id}`);
      if (got.body.status === "ready") break;
      expect(got.body.status).toBe("analyzing");
      await sleep(50);
    }
    expect((await admin.post(`/imports/${id}/start`, { onDuplicate: "update" })).status).toBe(202);
    // Kill as soon as the first batch has committed: 49 batches of 200 are still to go.
    let before: any;
    for (;;) {
      before = (await admin.get(`/imports/${id}`)).body;
      expect(before.status).toBe("running");
      if (before.progress.done > 0) break;
      await sleep(10);
    }
    await kill(first);
    // Killed mid-import, as the database holds it: some batches committed, not all.
    expect(before.progress).toEqual({ done: expect.any(Number), total: ROWS });
    expect(before.progress.done).toBeLessThan(ROWS);
    const killed = await stored(env, (db) =>
      db.query<{ status: string; rows_done: number }>("select status, rows_done from imports where id = $1", [id]),
    );
    expect(killed).toEqual([{ status: "running", rows_done: expect.any(Number) }]);
    expect(killed[0]?.rows_done).toBeGreaterThanOrEqual(before.progress.done);
    expect(killed[0]?.rows_done).toBeLessThan(ROWS);

    const restarted = await start(env);
    const second = servers.at(-1) as ServerProcess;
    const again = new Client(restarted, { token });
    let after: any;
    for (const until = Date.now() + 120_000; Date.now() < until; await sleep(100)) {
      after = (await again.get(`/imports/${id}`)).body;
      if (after.status !== "running") break;
    }
    expect(after).toMatchObject({
      status: "finished",
      progress: { done: ROWS, total: ROWS },
      result: { created: ROWS, updated: 0, skipped: 0, failed: 0 },
    });
    const { created, updated, skipped, failed } = after.result;
    expect(created + updated + skipped + failed).toBe(after.progress.total);
    expect((await again.get("/contacts/count")).body.count).toBe(ROWS);
    const sample = await again.get(`/contacts?q=${encodeURIComponent("p1234@example.com")}`);
    expect(sample.body.items).toMatchObject([{ firstName: "P1234", phone: "+31610001234" }]);
    await kill(second);

    // Every row of the file once: as many contacts as rows, each row's address among them once.
    const [rows] = await stored(env, (db) =>
      db.query<{ contacts: number; rows: number; twice: number }>(
        `select count(*)::int as contacts,
                count(distinct email) filter (where email ~ '^p[0-9]+@example[.]com$')::int as rows,
                (select count(*) from (select email from contacts group by workspace_id, email having count(*) > 1) d)::int as twice
           from contacts`,
      ),
    );
    expect(rows).toEqual({ contacts: ROWS, rows: ROWS, twice: 0 });
  });
});
