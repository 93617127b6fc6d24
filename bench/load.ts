/**
 * npm run bench -- load
 *
 * HTTP load from this process (autocannon) against the real server (a child process) on
 * the PostgreSQL server with 1,000,000 contacts: a mix of 70 % list/search, 20 % get and
 * 10 % create/patch at rising concurrency, each level beside the bare route (/bench/bare,
 * a fixed list page with no database and no auth) at the same concurrency. Then a soak at
 * moderate load, watching the server's resident memory.
 *
 * Counting every match of a common search (`/contacts/count?q=rob`: ~9,000 of 1,000,000
 * contacts, ~300 ms of database time) is left out of the mix: it is what the list page asks
 * once per search, not per page, and at 10 % of the requests it alone would use both cores.
 *
 * Options (environment): LOAD_SECONDS per level (default 15), LOAD_LEVELS (default
 * 8,32,128), LOAD_SOAK_MINUTES (default 10; 0 skips the soak).
 */
import { createRequire } from "node:module";
import pg from "pg";
import { type BenchResult, ensureBenchDatabase, log, percentile, startServer } from "./lib.ts";

interface Request {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: Request) => Request;
}
interface Instance {
  on(event: "response", fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  on(event: "done", fn: (result: AutocannonResult) => void): void;
}
interface AutocannonResult {
  requests: { total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}
type Autocannon = (options: Record<string, unknown>) => Instance;
/**
 * The contacts the mix created would otherwise stay at the newest end of the shared bench
 * workspace, untagged, and slow every later benchmark's tag filter.
 */
async function removeCreated(url: string, workspaceId: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `with gone as (delete from contacts where workspace_id = $1 and email like 'load-%@bench.example' returning id)
       delete from audit_events a using gone where a.workspace_id = $1 and a.contact_id = gone.id`,
      [workspaceId],
    );
    await client.query("vacuum analyze contacts");
  } finally {
    await client.end();
  }
}

const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

export interface LoadOptions {
  json?: boolean;
  seconds?: number;
  levels?: number[];
  soakMinutes?: number;
}

interface Measured {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  total: number;
}

/** One autocannon run; latencies are kept per response, so p95 is exact. */
function fire(url: string, connections: number, seconds: number, requests: Request[], headers: Record<string, string>) {
  return new Promise<Measured>((resolve) => {
    const latencies: number[] = [];
    let bad = 0;
    const instance = autocannon({ url, connections, duration: seconds, requests, headers, timeout: 10 });
    instance.on("response", (_client, status, _bytes, ms) => {
      latencies.push(ms);
      if (status >= 400) bad++;
    });
    instance.on("done", (result) => {
      latencies.sort((a, b) => a - b);
      resolve({
        rps: latencies.length / seconds,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
        errors: bad + result.errors + result.timeouts,
        total: latencies.length,
      });
    });
  });
}

/** The words and digits people search for, drawn from the seeded contacts. */
async function searchTerms(url: string, token: string): Promise<{ terms: string[]; ids: string[] }> {
  const response = await fetch(`${url}/contacts?limit=200&sort=updatedAt`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const page = (await response.json()) as {
    items: { id: string; lastName?: string; firstName?: string; phone?: string }[];
  };
  const ids = page.items.map((c) => c.id);
  const terms = page.items
    .flatMap((c) => [c.lastName?.slice(0, 4), c.firstName?.slice(0, 3), c.phone?.slice(-6)])
    .filter((t): t is string => Boolean(t && t.length >= 3))
    .slice(0, 100);
  return { terms, ids };
}

/** Ten requests in a cycle: seven lists and searches, two reads, one write. */
function mix(terms: string[], ids: string[]): Request[] {
  let n = 0;
  const pick = <T>(list: T[]) => list[n++ % list.length] as T;
  const run = Date.now().toString(36);
  const json = { "content-type": "application/json" };
  const list = (make: () => string): Request => ({
    method: "GET",
    path: "/",
    setupRequest: (r) => ({ ...r, path: make() }),
  });
  return [
    list(() => "/api/v1/contacts?limit=50"),
    list(() => `/api/v1/contacts?limit=50&q=${encodeURIComponent(pick(terms))}`),
    list(() => "/api/v1/contacts?limit=50&sort=name"),
    list(() => `/api/v1/contacts?limit=50&q=${encodeURIComponent(pick(terms))}&sort=-updatedAt`),
    list(() => "/api/v1/contacts?limit=50&sort=-updatedAt"),
    list(() => `/api/v1/contacts?limit=50&q=${encodeURIComponent(pick(terms))}`),
    list(() => "/api/v1/contacts?limit=50&language=nl-NL"),
    list(() => `/api/v1/contacts/${pick(ids)}`),
    list(() => `/api/v1/contacts/${pick(ids)}`),
    {
      method: "POST",
      path: "/",
      headers: json,
      setupRequest: (r) => {
        const i = n++;
        return i % 2
          ? {
              ...r,
              method: "POST",
              path: "/api/v1/contacts",
              body: JSON.stringify({
                firstName: "Load",
                lastName: `Test ${i}`,
                email: `load-${run}-${i}@bench.example`,
              }),
            }
          : {
              ...r,
              method: "PATCH",
              path: `/api/v1/contacts/${pick(ids)}`,
              body: JSON.stringify({ lastSeenAt: new Date().toISOString() }),
            };
      },
    },
  ];
}

const ms = (n: number) => Math.round(n * 10) / 10;

export async function run(options: LoadOptions = {}): Promise<BenchResult[]> {
  const seconds = options.seconds ?? Number(process.env.LOAD_SECONDS ?? 15);
  const levels = options.levels ?? (process.env.LOAD_LEVELS ?? "8,32,128").split(",").map(Number);
  const soakMinutes = options.soakMinutes ?? Number(process.env.LOAD_SOAK_MINUTES ?? 10);
  const { url, workspaceId } = await ensureBenchDatabase();
  const server = await startServer({ databaseUrl: url });
  const results: BenchResult[] = [];
  try {
    const headers = { authorization: `Bearer ${server.operatorToken}` };
    const { terms, ids } = await searchTerms(server.url, server.operatorToken);
    const requests = mix(terms, ids);
    // Warm the caches and the JIT before measuring.
    await fire(server.origin, 8, 3, requests, headers);
    for (const connections of levels) {
      const bare = await fire(server.origin, connections, seconds, [{ method: "GET", path: "/bench/bare" }], {});
      const measured = await fire(server.origin, connections, seconds, requests, headers);
      log(
        `c=${connections}: mix ${measured.rps.toFixed(0)} req/s p50 ${ms(measured.p50)} p95 ${ms(measured.p95)} ` +
          `p99 ${ms(measured.p99)} ms, ${measured.errors} errors of ${measured.total}; ` +
          `bare ${bare.rps.toFixed(0)} req/s p50 ${ms(bare.p50)} p95 ${ms(bare.p95)} p99 ${ms(bare.p99)} ms, ${bare.errors} errors`,
      );
      const ratio = measured.rps / bare.rps;
      results.push(
        {
          name: `load mix c=${connections} throughput`,
          value: measured.rps,
          unit: "req/s",
          limit: bare.rps,
          ratio,
          target: "≥ 0.3× bare route",
          ok: ratio >= 0.3,
        },
        {
          name: `load mix c=${connections} p50/p95/p99 (p99 shown)`,
          value: measured.p99,
          unit: "ms",
          limit: connections === 32 ? 100 : bare.p99,
          ratio: connections === 32 ? measured.p99 / 100 : measured.p99 / Math.max(bare.p99, 0.001),
          target:
            connections === 32
              ? `p99 < 100 ms (p50 ${ms(measured.p50)}, p95 ${ms(measured.p95)})`
              : `info (p50 ${ms(measured.p50)}, p95 ${ms(measured.p95)})`,
          ok: connections === 32 ? measured.p99 < 100 : true,
        },
        {
          name: `load mix c=${connections} errors`,
          value: measured.errors,
          unit: "errors",
          limit: 0,
          ratio: measured.errors,
          target: `0 of ${measured.total}`,
          ok: measured.errors === 0,
        },
        {
          name: `bare route c=${connections} throughput`,
          value: bare.rps,
          unit: "req/s",
          limit: bare.rps,
          ratio: 1,
          target: `reference (p50 ${ms(bare.p50)}, p95 ${ms(bare.p95)}, p99 ${ms(bare.p99)} ms)`,
          ok: bare.errors === 0,
        },
      );
    }
    if (soakMinutes > 0) results.push(await soak(server, requests, headers, soakMinutes));
  } finally {
    await server.stop();
    await removeCreated(url, workspaceId);
  }
  return results;
}

/**
 * Moderate load (16 connections of the mix) for `minutes`; resident memory sampled every
 * 5 s. Warm-up is the first tenth (at least 30 s); growth is the highest sample after it
 * against the sample that ends it.
 */
async function soak(
  server: Awaited<ReturnType<typeof startServer>>,
  requests: Request[],
  headers: Record<string, string>,
  minutes: number,
): Promise<BenchResult> {
  const seconds = Math.round(minutes * 60);
  const warmUp = Math.max(30, seconds / 10);
  const samples: { at: number; rss: number }[] = [];
  const started = Date.now();
  const timer = setInterval(() => samples.push({ at: (Date.now() - started) / 1000, rss: server.rss() }), 5000);
  const measured = await fire(server.origin, 16, seconds, requests, headers);
  clearInterval(timer);
  const base = samples.filter((s) => s.at <= warmUp).at(-1)?.rss ?? samples[0]?.rss ?? 0;
  const after = Math.max(...samples.filter((s) => s.at > warmUp).map((s) => s.rss));
  const growth = after / base;
  log(
    `soak ${minutes} min at c=16: ${measured.rps.toFixed(0)} req/s, p99 ${ms(measured.p99)} ms, ${measured.errors} errors; ` +
      `RSS after warm-up ${(base / 2 ** 20).toFixed(0)} MB, highest later ${(after / 2 ** 20).toFixed(0)} MB`,
  );
  return {
    name: `soak ${minutes} min RSS growth after warm-up`,
    value: after / 2 ** 20,
    unit: "MB",
    limit: base / 2 ** 20,
    ratio: growth,
    target: `≤ 1.10× (${measured.errors} errors, p99 ${ms(measured.p99)} ms)`,
    ok: growth <= 1.1 && measured.errors === 0,
  };
}
