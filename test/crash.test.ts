/**
 * Crash durability: the real server as a child process, concurrent writers, SIGKILL at a
 * random moment, restart, and check that every acknowledged write is there and nothing
 * half-written is — on the embedded database (PGlite in DATA_DIR) and on the PostgreSQL
 * server. A write in flight when the process died may have landed or not; either way it
 * landed whole (row, tags and audit event together).
 *
 * CRASH_CYCLES sets the kills per database (default 3); CRASH_SEED the random moments.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Db } from "../src/db/db.ts";
import { openPglite } from "../src/db/pglite.ts";
import { type ServerProcess, setupWithToken, spawnServer } from "./process.ts";
import { freshDatabase } from "./server.ts";

const CYCLES = Number(process.env.CRASH_CYCLES ?? 3);
let seed = Number(process.env.CRASH_SEED ?? 4242);
/** A small deterministic generator (mulberry32), so a failing run can be replayed. */
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

interface Known {
  id: string;
  externalId: string;
  /** The last acknowledged version; 0 once an acknowledged delete removed it. */
  version: number;
  /** A write was sent and never answered: it may or may not have landed. */
  inFlight: boolean;
}

const kinds = ["pglite", ...(process.env.TEST_DATABASE_URL ? ["postgres"] : [])] as const;
if (process.env.REQUIRE_PG === "1" && !process.env.TEST_DATABASE_URL)
  throw new Error("REQUIRE_PG=1 needs TEST_DATABASE_URL");

describe.each(kinds)("SIGKILL during concurrent writes on %s", (kind) => {
  const dataDir = mkdtempSync(join(tmpdir(), "contacts-crash-"));
  let pg: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await pg?.drop();
  });

  it(`keeps every acknowledged write and no half-written one across ${CYCLES} kills`, async () => {
    console.log(`crash on ${kind}: CRASH_SEED=${process.env.CRASH_SEED ?? 4242} CRASH_CYCLES=${CYCLES}`);
    let env: Record<string, string> = { DATA_DIR: dataDir, API_RATE_LIMIT: "1000000", ALLOW_SIGNUP: "1" };
    if (kind === "postgres") {
      pg = await freshDatabase("postgres", undefined);
      env = { ...env, DATABASE_URL: pg.url as string };
    }
    let server: ServerProcess = await spawnServer(env);
    const token = await setupWithToken(server, "Crash", "ann@crash.example");
    const known = new Map<string, Known>();
    let serial = 0;
    let acknowledged = 0;

    const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      fetch(`${server.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    /** One writer: creates, patches (If-Match) and deletes until the server dies under it. */
    async function writer(w: number, stop: { dead: boolean }) {
      while (!stop.dead) {
        const mine = [...known.values()].filter(
          (k) => k.version > 0 && !k.inFlight && k.externalId.startsWith(`w${w}-`),
        );
        const dice = random();
        try {
          if (mine.length < 3 || dice < 0.5) {
            const externalId = `w${w}-${++serial}`;
            const response = await call("POST", "/contacts", {
              firstName: "Crash",
              lastName: "v1",
              externalId,
              tags: ["Crash", `W${w}`],
            });
            if (response.status !== 201) throw new Error(`create answered ${response.status}`);
            const body = (await response.json()) as { id: string; version: number };
            known.set(body.id, { id: body.id, externalId, version: body.version, inFlight: false });
            acknowledged++;
          } else {
            const target = mine[Math.floor(random() * mine.length)] as Known;
            target.inFlight = true;
            if (dice < 0.9) {
              const response = await call(
                "PATCH",
                `/contacts/${target.id}`,
                { lastName: `v${target.version + 1}` },
                { "if-match": `"${target.version}"` },
              );
              if (response.status !== 200) throw new Error(`patch answered ${response.status}`);
              target.version = ((await response.json()) as { version: number }).version;
            } else {
              const response = await call("DELETE", `/contacts/${target.id}`);
              if (response.status !== 204) throw new Error(`delete answered ${response.status}`);
              target.version = 0;
            }
            target.inFlight = false;
            acknowledged++;
          }
        } catch (error) {
          if (stop.dead) return;
          throw error;
        }
      }
    }

    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const stop = { dead: false };
      const failures: unknown[] = [];
      const writers = Array.from({ length: 8 }, (_, w) => writer(w, stop).catch((error) => failures.push(error)));
      // Some writes first (however slow the machine), then a random moment among the next ones.
      const target = acknowledged + 15;
      const deadline = Date.now() + 20_000;
      while (acknowledged < target && Date.now() < deadline && failures.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await new Promise((resolve) => setTimeout(resolve, random() * 800));
      stop.dead = true;
      server.child.kill("SIGKILL");
      await server.exited;
      await Promise.all(writers);
      expect(failures).toEqual([]);
      server = await spawnServer(env);
      await verify(server, token, known);
    }
    server.child.kill("SIGTERM");
    await server.exited;

    // Nothing half-written: each contact carries its tags, its lastName matches its version,
    // and it has exactly one audit event per version (the create and each change).
    const db: Db = kind === "pglite" ? await openPglite({ dataDir }) : (pg?.db as Db);
    try {
      const rows = await db.query<{
        external_id: string;
        last_name: string;
        version: number;
        tags: number;
        events: number;
      }>(
        `select c.external_id, c.last_name, c.version,
                (select count(*)::int from tags t where t.workspace_id = c.workspace_id and t.id = any(c.tag_ids)) as tags,
                (select count(*)::int from audit_events a where a.workspace_id = c.workspace_id and a.contact_id = c.id) as events
         from contacts c`,
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row, row.external_id).toMatchObject({ last_name: `v${row.version}`, tags: 2, events: row.version });
      }
    } finally {
      if (kind === "pglite") await db.close();
    }
    console.log(`crash on ${kind}: ${CYCLES} kills survived, ${acknowledged} acknowledged writes all present`);
  }, 180_000);
});

/** After a restart: every acknowledged write is there; an unanswered one landed whole or not at all. */
async function verify(server: ServerProcess, token: string, known: Map<string, Known>) {
  const headers = { authorization: `Bearer ${token}` };
  for (const k of known.values()) {
    const response = await fetch(`${server.url}/contacts/${k.id}`, { headers });
    if (k.version === 0 && !k.inFlight) {
      expect(response.status, `${k.externalId} was deleted`).toBe(404);
      continue;
    }
    if (response.status === 404 && k.inFlight) {
      // An unanswered delete that landed.
      k.version = 0;
      k.inFlight = false;
      continue;
    }
    expect(response.status, `${k.externalId} (acknowledged at version ${k.version})`).toBe(200);
    const contact = (await response.json()) as {
      version: number;
      lastName: string;
      tags: string[];
      externalId: string;
    };
    if (k.inFlight) expect([k.version, k.version + 1], k.externalId).toContain(contact.version);
    else expect(contact.version, k.externalId).toBe(k.version);
    expect(contact.lastName).toBe(`v${contact.version}`);
    expect(contact.tags).toHaveLength(2);
    k.version = contact.version;
    k.inFlight = false;
  }
  // A create that was never answered may have landed: adopt it, so later checks cover it.
  let cursor: string | null = null;
  do {
    const page = (await (
      await fetch(`${server.url}/contacts?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, {
        headers,
      })
    ).json()) as { items: { id: string; externalId: string; version: number }[]; nextCursor: string | null };
    for (const item of page.items) {
      if (!known.has(item.id))
        known.set(item.id, { id: item.id, externalId: item.externalId, version: item.version, inFlight: false });
    }
    cursor = page.nextCursor;
  } while (cursor);
}
