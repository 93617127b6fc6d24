/**
 * npm run bench -- embedded
 * The embedded default (PGlite in DATA_DIR, no DATABASE_URL) at 100,000 contacts: the
 * seed writes them into a new data directory (and, as every bulk change does there,
 * leaves the tables analysed and vacuumed), the real server starts on it, and the list,
 * searches and a tag filter are timed over HTTP one request at a time, alternating with
 * the bare route, as `contacts` does on the PostgreSQL server.
 * BENCH_EMBEDDED_DIR keeps the data directory there (seeded once, reused after).
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pool } from "undici";
import { openDatabase } from "../src/db/open.ts";
import { generateContact } from "../src/seed/generate.ts";
import { seedContacts, seedWorkspace } from "../src/seed/seed.ts";
import { get, rows, timeAgainstBare } from "./contacts.ts";
import { BENCH_SLUG, type BenchResult, log, startServer } from "./lib.ts";

const CONTACTS = Number(process.env.BENCH_EMBEDDED_CONTACTS ?? 100_000);

async function seeded(dataDir: string) {
  const db = await openDatabase({ databaseUrl: undefined, dataDir });
  try {
    const workspace = await seedWorkspace(db, BENCH_SLUG);
    const [row] = await db.query<{ n: number }>("select count(*)::int as n from contacts where workspace_id = $1", [
      workspace.id,
    ]);
    const missing = CONTACTS - (row?.n ?? 0);
    if (missing > 0) {
      log(`Seeding ${missing.toLocaleString("en")} contacts into the embedded database in ${dataDir}`);
      const result = await seedContacts(db, workspace, { count: missing });
      log(`Seeded ${result.added.toLocaleString("en")} contacts in ${(result.elapsedMs / 1000).toFixed(1)} s`);
    }
  } finally {
    await db.close();
  }
}

/** A fragment of one contact's e-mail (rare) and a phone number written nationally, with and without a space. */
function terms() {
  let i = 54_321;
  while (!generateContact(i).phoneDigits || !generateContact(i).email) i++;
  const c = generateContact(i);
  const national = (c.phoneDigits as string).split(" ").at(-1) as string;
  return { rare: (c.email as string).split("@")[0] as string, phone: national };
}

export async function run(_options: { json: boolean }): Promise<BenchResult[]> {
  const kept = process.env.BENCH_EMBEDDED_DIR;
  const dataDir = kept ?? mkdtempSync(join(tmpdir(), "contacts-bench-embedded-"));
  if (kept) mkdirSync(kept, { recursive: true });
  const results: BenchResult[] = [];
  try {
    await seeded(dataDir);
    const server = await startServer({ dataDir });
    const pool = new Pool(server.origin, { connections: 1 });
    const auth = { authorization: `Bearer ${server.operatorToken}` };
    try {
      const list = (query: string) => `/api/v1/contacts?${query}`;
      const first = JSON.parse((await get(pool, list("limit=50"), auth)).body);
      if (first.items.length !== 50) throw new Error(`the first page has ${first.items.length} contacts, not 50`);
      const { rare, phone } = terms();
      log(`Timing on the embedded database with ${CONTACTS.toLocaleString("en")} contacts`);
      results.push(
        ...rows("embedded contacts.list first page", await timeAgainstBare(pool, list("limit=50"), auth), 10),
      );
      results.push(
        ...rows(
          "embedded contacts.list sorted by name",
          await timeAgainstBare(pool, list("limit=50&sort=name"), auth),
          10,
        ),
      );
      for (const [label, q] of [
        ["common name fragment", "Müller"],
        ["less common name fragment", "xiuying"],
        ["rare fragment", rare],
        ["phone digits", phone],
        ["phone digits with a space", `${phone.slice(0, 4)} ${phone.slice(4)}`],
      ] as const) {
        log(`  search ${label}: q=${q}`);
        const timing = await timeAgainstBare(pool, list(`limit=50&q=${encodeURIComponent(q)}`), auth);
        results.push(...rows(`embedded contacts.search ${label}`, timing, 15));
      }
      results.push(
        ...rows(
          "embedded contacts.list tag=Billing",
          await timeAgainstBare(pool, list("limit=50&tag=Billing"), auth),
          10,
        ),
      );
    } finally {
      await pool.close();
      await server.stop();
    }
  } finally {
    if (!kept) rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}
