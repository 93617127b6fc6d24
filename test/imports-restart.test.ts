import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { upload } from "./imports-helpers.ts";
import { Client, databases, freshDatabase, type TestServer } from "./server.ts";

const ROWS = 10_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The real server in a child process, as `npm start` runs it (without the web build). */
async function startChild(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: "127.0.0.1",
      ALLOW_SIGNUP: "1",
      LOG_LEVEL: "warn",
      IMPORT_BATCH_ROWS: "200",
      IMPORT_LEASE_SECONDS: "2",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    if (Date.now() > until) throw new Error("the server did not start");
    await sleep(100);
  }
}

async function kill(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

describe.each(databases())("an import killed mid-way on %s", (kind) => {
  const children: ChildProcess[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const child of children) await kill(child);
    for (const cleanup of cleanups) await cleanup();
  });

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
    const port = await freePort();
    const first = await startChild(env, port);
    children.push(first);

    const origin = `http://127.0.0.1:${port}`;
    const server = { url: `${origin}/api/v1`, origin } as TestServer;
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
    let before: any;
    for (;;) {
      before = (await admin.get(`/imports/${id}`)).body;
      if (before.progress.done >= 1000 || before.status !== "running") break;
      await sleep(10);
    }
    await kill(first);
    // Killed mid-import: some batches committed, not all.
    expect(before.status).toBe("running");
    expect(before.progress.done).toBeLessThan(ROWS);

    const second = await startChild(env, port);
    children.push(second);
    let after: any;
    for (const until = Date.now() + 120_000; Date.now() < until; await sleep(100)) {
      after = (await admin.get(`/imports/${id}`)).body;
      if (after.status !== "running") break;
    }
    expect(after).toMatchObject({
      status: "finished",
      progress: { done: ROWS, total: ROWS },
      result: { created: ROWS, updated: 0, skipped: 0, failed: 0 },
    });
    expect((await admin.get("/contacts/count")).body.count).toBe(ROWS);
    const sample = await admin.get(`/contacts?q=${encodeURIComponent("p1234@example.com")}`);
    expect(sample.body.items).toMatchObject([{ firstName: "P1234", phone: "+31610001234" }]);
    await kill(second);
  });
});
