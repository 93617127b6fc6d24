/**
 * npm run bench -- contacts
 * The contacts list over HTTP on 1,000,000 contacts in one workspace (PostgreSQL server):
 * first page, a page 500,000 deep, searches, a tag filter, and creating contacts. Each
 * read is timed one request at a time, alternating with the bare route (a fixed JSON page
 * of the same size, no database), so both figures come from the same moments. Creating
 * contacts is set beside the same SQL sent straight through node-postgres.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { Pool } from "undici";
import { encodeCursor } from "../src/contacts/cursor.ts";
import { openPostgres } from "../src/db/postgres.ts";
import { generateContact } from "../src/seed/generate.ts";
import { type BenchResult, ensureBenchDatabase, log, percentile, startServer } from "./lib.ts";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const WARMUP = 30;
const CREATES = Number(process.env.BENCH_CREATES ?? 1000);
const CONCURRENCY = 8;
const CREATED_MARK = "bench-create-";

interface Timing {
  p50: number;
  p95: number;
  bareP50: number;
  bareP95: number;
}

export async function get(pool: Pool, path: string, headers: Record<string, string>) {
  const started = performance.now();
  const response = await pool.request({ method: "GET", path, headers });
  const body = await response.body.text();
  const ms = performance.now() - started;
  if (response.statusCode !== 200) throw new Error(`GET ${path} → ${response.statusCode}: ${body.slice(0, 300)}`);
  return { ms, body };
}

/** `path` and the bare route, one request at a time, alternately. */
export async function timeAgainstBare(pool: Pool, path: string, headers: Record<string, string>): Promise<Timing> {
  const ours: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < WARMUP + REQUESTS; i++) {
    const a = await get(pool, path, headers);
    const b = await get(pool, "/bench/bare", {});
    if (i >= WARMUP) {
      ours.push(a.ms);
      bare.push(b.ms);
    }
  }
  ours.sort((x, y) => x - y);
  bare.sort((x, y) => x - y);
  return {
    p50: percentile(ours, 50),
    p95: percentile(ours, 95),
    bareP50: percentile(bare, 50),
    bareP95: percentile(bare, 95),
  };
}

export function rows(name: string, t: Timing, p95Limit: number): BenchResult[] {
  return [
    {
      name: `${name} p50`,
      value: t.p50,
      unit: "ms",
      limit: t.bareP50,
      ratio: t.p50 / t.bareP50,
      target: "beside the bare route's p50",
      ok: true,
    },
    {
      name: `${name} p95`,
      value: t.p95,
      unit: "ms",
      limit: t.bareP95,
      ratio: t.p95 / t.bareP95,
      target: `p95 ≤ ${p95Limit} ms`,
      ok: t.p95 <= p95Limit,
    },
  ];
}

/** Runs `task(i)` for from ≤ i < from + count with `concurrency` in flight; returns the seconds taken. */
async function timed(from: number, count: number, concurrency: number, task: (i: number) => Promise<void>) {
  let next = from;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < from + count) await task(next++);
    }),
  );
  return (performance.now() - started) / 1000;
}

/** A new contact for the create benchmark; `n` keeps e-mail and phone unique. */
function newContact(n: number) {
  const c = generateContact(3_000_000 + n);
  return {
    firstName: c.firstName,
    lastName: c.lastName,
    email: `${CREATED_MARK}${n}@example.com`,
    phone: c.phone,
    phoneDigits: c.phoneDigits,
    language: c.language,
    timezone: c.timezone,
  };
}

async function removeCreated(client: pg.Client, workspaceId: string) {
  await client.query(
    `with gone as (delete from contacts where workspace_id = $1 and email like $2 returning id)
     delete from audit_events a using gone where a.workspace_id = $1 and a.contact_id = gone.id`,
    [workspaceId, `${CREATED_MARK}%`],
  );
}

/** The SQL one create issues (the contact and its audit row in one transaction), straight through node-postgres. */
function directCreate(pool: pg.Pool, workspaceId: string) {
  const actor = randomUUID();
  return async (n: number) => {
    const c = newContact(n);
    const client = await pool.connect();
    try {
      await client.query("begin");
      const { rows: created } = await client.query(
        `insert into contacts (workspace_id, first_name, last_name, email, phone, phone_digits, language, timezone)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning *`,
        [workspaceId, c.firstName, c.lastName, c.email, c.phone, c.phoneDigits, c.language, c.timezone],
      );
      await client.query(
        `insert into audit_events (workspace_id, action, actor_type, actor_id, contact_id, after)
         values ($1, 'contact.created', 'token', $2, $3, $4)`,
        [workspaceId, actor, created[0].id, JSON.stringify(created[0])],
      );
      await client.query("commit");
    } catch (error) {
      await client.query("rollback");
      throw error;
    } finally {
      client.release();
    }
  };
}

function httpCreate(pool: Pool, token: string) {
  return async (n: number) => {
    const { phoneDigits: _, ...body } = newContact(n);
    const response = await pool.request({
      method: "POST",
      path: "/api/v1/contacts",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await response.body.text();
    if (response.statusCode !== 201) throw new Error(`POST /contacts → ${response.statusCode}: ${text.slice(0, 300)}`);
  };
}

/**
 * Creates over HTTP and by direct SQL in alternating rounds, so a change in the machine's
 * load during the run falls on both sides alike; returns contacts a second for each.
 */
async function createThroughput(url: string, workspaceId: string, http: Pool, token: string) {
  const sql = new pg.Pool({ connectionString: url, max: CONCURRENCY });
  try {
    const direct = directCreate(sql, workspaceId);
    const api = httpCreate(http, token);
    const ROUNDS = 5;
    const perRound = Math.ceil(CREATES / ROUNDS);
    // Warm both paths (connections, JIT) before timing; numbers 0… direct, 500,000… HTTP.
    await timed(0, 50, CONCURRENCY, direct);
    await timed(500_000, 50, CONCURRENCY, api);
    let directSeconds = 0;
    let httpSeconds = 0;
    for (let round = 0; round < ROUNDS; round++) {
      directSeconds += await timed(100 + round * perRound, perRound, CONCURRENCY, direct);
      httpSeconds += await timed(500_100 + round * perRound, perRound, CONCURRENCY, api);
    }
    return { direct: (ROUNDS * perRound) / directSeconds, http: (ROUNDS * perRound) / httpSeconds };
  } finally {
    await sql.end();
  }
}

/** A cursor that starts right after the `depth`-th contact newest first, signed as the server signs it. */
async function deepCursor(url: string, workspaceId: string, depth: number): Promise<string> {
  const db = openPostgres(url, 1);
  try {
    const [w] = await db.query<{ cursor_secret: Buffer }>("select cursor_secret from workspaces where id = $1", [
      workspaceId,
    ]);
    const [row] = await db.query<{ key: string; id: string }>(
      `select c.created_at as key, c.id from contacts c where c.workspace_id = $1
       order by c.created_at desc, c.id desc offset $2 limit 1`,
      [workspaceId, depth - 1],
    );
    if (!w || !row) throw new Error(`the bench workspace has fewer than ${depth} contacts`);
    return encodeCursor(Buffer.from(w.cursor_secret), { sort: "-createdAt", key: String(row.key), id: row.id });
  } finally {
    await db.close();
  }
}

/** A phone number written nationally with a space, as a person types it, and a rare name fragment. */
function searchTerms() {
  let i = 654_321;
  while (!generateContact(i).phoneDigits || !generateContact(i).email) i++;
  const c = generateContact(i);
  const national = (c.phoneDigits as string).split(" ").at(-1) as string;
  return { phone: national, rare: (c.email as string).split("@")[0] as string };
}

export async function run(_options: { json: boolean }): Promise<BenchResult[]> {
  const { url, workspaceId } = await ensureBenchDatabase();
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await removeCreated(admin, workspaceId);
  await admin.query("vacuum analyze contacts");
  const server = await startServer({ databaseUrl: url });
  const pool = new Pool(server.origin, { connections: CONCURRENCY });
  const auth = { authorization: `Bearer ${server.operatorToken}` };
  const results: BenchResult[] = [];
  try {
    const cursor = await deepCursor(url, workspaceId, 500_000);
    const terms = searchTerms();
    const list = (query: string) => `/api/v1/contacts?${query}`;
    const deep = JSON.parse((await get(pool, list(`cursor=${encodeURIComponent(cursor)}`), auth)).body);
    if (deep.items.length !== 50) throw new Error(`the deep page has ${deep.items.length} contacts, not 50`);

    log(`Timing ${REQUESTS} requests each (after ${WARMUP} to warm up), alternating with GET /bench/bare`);
    const first = await timeAgainstBare(pool, list("limit=50"), auth);
    results.push(...rows("contacts.list first page", first, 5));
    const deepPage = await timeAgainstBare(pool, list(`limit=50&cursor=${encodeURIComponent(cursor)}`), auth);
    results.push(...rows("contacts.list page 500,000 deep", deepPage, 5), {
      name: "contacts.list deep ÷ first page p95",
      value: deepPage.p95,
      unit: "ms",
      limit: first.p95,
      ratio: deepPage.p95 / first.p95,
      target: "≤ 1.5× first page",
      ok: deepPage.p95 / first.p95 <= 1.5,
    });
    const byName = await timeAgainstBare(pool, list(`limit=50&sort=name`), auth);
    results.push(...rows("contacts.list sorted by name", byName, 5));
    for (const [label, q] of [
      ["common name fragment", "Müller"],
      ["less common name fragment", "xiuying"],
      ["rare fragment", terms.rare],
      ["phone digits", terms.phone],
      ["phone digits with a space", `${terms.phone.slice(0, 4)} ${terms.phone.slice(4)}`],
    ] as const) {
      log(`  search ${label}: q=${q}`);
      const timing = await timeAgainstBare(pool, list(`limit=50&q=${encodeURIComponent(q)}`), auth);
      results.push(...rows(`contacts.search ${label}`, timing, 15));
    }
    const tagged = await timeAgainstBare(pool, list("limit=50&tag=Billing"), auth);
    results.push(...rows("contacts.list tag=Billing", tagged, 5));
    const language = await timeAgainstBare(pool, list("limit=50&language=ja"), auth);
    results.push(...rows("contacts.list language=ja", language, 5));

    log(`Creating ${CREATES} contacts over HTTP and ${CREATES} by direct SQL, ${CONCURRENCY} at a time`);
    const { direct, http } = await createThroughput(url, workspaceId, pool, server.adminToken);
    results.push({
      name: "contacts.create throughput",
      value: http,
      unit: "req/s",
      limit: direct,
      ratio: http / direct,
      target: "≥ 0.5× the same SQL direct",
      ok: http / direct >= 0.5,
    });
  } finally {
    await pool.close();
    await server.stop();
    await removeCreated(admin, workspaceId);
    // The removed contacts would linger as dead entries at the newest end of the
    // created_at index, slowing the first page of whoever runs next.
    await admin.query("vacuum analyze contacts");
    await admin.end();
  }
  return results;
}
