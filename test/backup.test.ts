/**
 * Backup and restore as an operator runs them (scripts/backup.ts, `npm run backup` /
 * `npm run restore`): write contacts through the API, back up, restore into a new
 * database, start the server on it and find every contact exactly as it was.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type ServerProcess, spawnServer } from "./process.ts";
import { freshDatabase } from "./server.ts";

const kinds = ["pglite", ...(process.env.TEST_DATABASE_URL ? ["postgres"] : [])] as const;
if (process.env.REQUIRE_PG === "1" && !process.env.TEST_DATABASE_URL)
  throw new Error("REQUIRE_PG=1 needs TEST_DATABASE_URL");

function script(command: "backup" | "restore", file: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/backup.ts", command, file], {
    env: { ...process.env, DATABASE_URL: "", DATA_DIR: "", ...env },
    encoding: "utf8",
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

async function allContacts(server: ServerProcess, token: string) {
  const items: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const page = (await (
      await fetch(`${server.url}/contacts?limit=200&sort=name${query}`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { items: Record<string, unknown>[]; nextCursor: string | null };
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

describe.each(kinds)("backup and restore on %s", (kind) => {
  const dir = mkdtempSync(join(tmpdir(), "contacts-backup-"));
  const drops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    for (const drop of drops) await drop();
  });

  async function database(name: string): Promise<Record<string, string>> {
    if (kind === "pglite") return { DATA_DIR: join(dir, name) };
    const fresh = await freshDatabase("postgres", undefined);
    await fresh.db.query("drop schema public cascade");
    await fresh.db.query("create schema public");
    drops.push(fresh.drop);
    return { DATABASE_URL: fresh.url as string };
  }

  it("restores a backup into a new database that has every contact", async () => {
    const source = await database("source");
    const server = await spawnServer({ ...source, ALLOW_SIGNUP: "1" });
    let token: string;
    let before: Record<string, unknown>[];
    try {
      const setup = await fetch(`${server.url}/setup`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          workspaceName: "Backed up",
          name: "Ann",
          email: "ann@backup.example",
          password: "long enough password",
        }),
      });
      const cookie = (setup.headers.get("set-cookie") ?? "").split(";")[0] as string;
      const created = await fetch(`${server.url}/tokens`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, origin: server.origin },
        body: JSON.stringify({ name: "backup check", role: "admin" }),
      });
      token = ((await created.json()) as { token: string }).token;
      const writes = Array.from({ length: 60 }, (_, i) =>
        fetch(`${server.url}/contacts`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({
            firstName: `Zoë ${i}`,
            lastName: "Backup",
            email: `zoe${i}@backup.example`,
            phone: `+3161234${String(i).padStart(4, "0")}`,
            tags: [i % 2 ? "Odd" : "Even", "Kept"],
          }),
        }),
      );
      for (const response of await Promise.all(writes)) expect(response.status).toBe(201);
      before = await allContacts(server, token);
      expect(before).toHaveLength(60);
      if (kind === "pglite") {
        // The embedded database is the running server's alone: a backup must wait for it to stop.
        const refused = script("backup", join(dir, "refused.tar.gz"), source);
        expect(refused.status).not.toBe(0);
        expect(refused.output).toMatch(/in use by another process/);
      }
    } finally {
      if (kind === "pglite") {
        server.child.kill("SIGTERM");
        await server.exited;
      }
    }

    const file = join(dir, kind === "pglite" ? "contacts.tar.gz" : "contacts.dump");
    const backedUp = script("backup", file, source);
    expect(backedUp.status, backedUp.output).toBe(0);
    if (kind === "postgres") {
      // Taken online: the server kept serving.
      server.child.kill("SIGTERM");
      await server.exited;
    }

    const target = await database("restored");
    const restored = script("restore", file, target);
    expect(restored.status, restored.output).toBe(0);
    if (kind === "pglite") {
      const again = script("restore", file, target);
      expect(again.status).not.toBe(0);
      expect(again.output).toMatch(/not empty/);
    }

    const second = await spawnServer(target);
    try {
      const after = await allContacts(second, token);
      expect(after).toEqual(before);
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
  }, 120_000);
});
