/**
 * npm run bench -- export
 * The export of 1,000,000 contacts (PostgreSQL server) in each format, over HTTP to a
 * client that throws the bytes away, beside PostgreSQL's own `COPY … TO STDOUT (FORMAT
 * csv)` of the same rows through node-postgres into the same kind of sink, in the same
 * run. The server's resident memory is sampled during each export: it must stay flat,
 * at 10,000 rows as at 1,000,000. Then one xlsx of 1,048,577 rows (it needs a second
 * sheet), and the same exports on PGlite at 100,000 rows.
 * BENCH_EXPORT_PARTS=1m,10k,split,pglite (default: all) runs some of these, and
 * BENCH_EXPORT_FORMATS=csv-semicolon,csv-comma,xlsx (default: all) some formats.
 */
import { mkdirSync } from "node:fs";
import { request } from "node:http";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { openDatabase } from "../src/db/open.ts";
import { seedContacts, seedWorkspace } from "../src/seed/seed.ts";
import { type BenchResult, type BenchServer, ensureBenchDatabase, log, ROOT, startServer } from "./lib.ts";

const MB = 1024 * 1024;
const ALL_FORMATS = ["csv-semicolon", "csv-comma", "xlsx"] as const;
/** `BENCH_EXPORT_FORMATS=xlsx,csv-comma` (default: all) measures some formats only. */
const FORMATS = ALL_FORMATS.filter((f) =>
  (process.env.BENCH_EXPORT_FORMATS ?? ALL_FORMATS.join(",")).split(",").includes(f),
);
const TARGET_RATIO = { "csv-semicolon": 3, "csv-comma": 3, xlsx: 8 } as const;
const RSS_GROWTH_LIMIT_MB = 200;
const SPLIT_ROWS = 1_048_577;
const PGLITE_ROWS = Number(process.env.BENCH_PGLITE_CONTACTS ?? 100_000);

/** A sink that counts and drops bytes, so the client costs next to nothing. */
function discard() {
  let bytes = 0;
  let tail = Buffer.alloc(0);
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      // The end of a zip is its table of contents: keep it to see which sheets there are.
      tail = Buffer.concat([tail, chunk]).subarray(-64 * 1024);
      done();
    },
  });
  return { sink, bytes: () => bytes, tail: () => tail };
}

interface Download {
  seconds: number;
  bytes: number;
  /** Peak server RSS minus its RSS just before the request. */
  rssGrowthMb: number;
  tail: Buffer;
}

/** GET an export, sampling the server's RSS every 50 ms until the last byte is in. */
async function download(server: BenchServer, query: string): Promise<Download> {
  const before = server.rss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, server.rss());
  }, 50);
  const { sink, bytes, tail } = discard();
  const started = performance.now();
  try {
    await new Promise<void>((resolve, reject) => {
      const req = request(`${server.url}/contacts/export?${query}`, {
        headers: { authorization: `Bearer ${server.adminToken}` },
      });
      req.on("response", (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`export ${query} answered ${response.statusCode}`));
          response.resume();
          return;
        }
        pipeline(response, sink).then(resolve, reject);
      });
      req.on("error", reject);
      req.end();
    });
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  peak = Math.max(peak, server.rss());
  return { seconds, bytes: bytes(), rssGrowthMb: (peak - before) / MB, tail: tail() };
}

/** `COPY (SELECT * FROM contacts WHERE workspace_id = …) TO STDOUT (FORMAT csv)` into a sink. */
async function copyFromServer(url: string, workspaceId: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    const stream = client.query(
      copyTo(`copy (select * from contacts where workspace_id = '${workspaceId}') to stdout (format csv)`),
    );
    await pipeline(stream, discard().sink);
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
}

function timeResult(name: string, seconds: number, copy: number, ratio: number): BenchResult {
  return {
    name,
    value: seconds,
    unit: "s",
    limit: copy * ratio,
    ratio: seconds / copy,
    target: `≤ ${ratio}× COPY`,
    ok: seconds <= copy * ratio,
  };
}

function memoryResult(name: string, growthMb: number): BenchResult {
  return {
    name,
    value: growthMb,
    unit: "MB",
    limit: RSS_GROWTH_LIMIT_MB,
    ratio: growthMb / RSS_GROWTH_LIMIT_MB,
    target: `RSS growth ≤ ${RSS_GROWTH_LIMIT_MB} MB`,
    ok: growthMb <= RSS_GROWTH_LIMIT_MB,
  };
}

/**
 * Every format of one workspace over HTTP, beside a COPY of the same rows measured in the
 * same run. Each format gets a fresh server, warmed up by a small export, so its memory
 * figure is what that export adds and not what an earlier one left in the heap.
 */
async function measure(
  label: string,
  start: () => Promise<BenchServer>,
  copy: () => Promise<number>,
): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const copySeconds = Math.min(await copy(), await copy());
  log(`  ${label}: COPY ${copySeconds.toFixed(2)} s (best of 2)`);
  for (const format of FORMATS) {
    const server = await start();
    try {
      await download(server, `format=${format}&q=zz-warm-up`);
      const got = await download(server, `format=${format}`);
      log(
        `  ${label}: ${format} ${got.seconds.toFixed(2)} s, ${(got.bytes / MB).toFixed(0)} MB, RSS +${got.rssGrowthMb.toFixed(0)} MB`,
      );
      results.push(timeResult(`export ${format} ${label}`, got.seconds, copySeconds, TARGET_RATIO[format]));
      results.push(memoryResult(`export ${format} ${label} memory`, got.rssGrowthMb));
    } finally {
      await server.stop();
    }
  }
  return results;
}

async function onPostgres(contacts: number, label: string, slug?: string): Promise<BenchResult[]> {
  const bench = await ensureBenchDatabase({ contacts, slug });
  return measure(
    label,
    () => startServer({ databaseUrl: bench.url, slug }),
    () => copyFromServer(bench.url, bench.workspaceId),
  );
}

/** The zip's table of contents names every sheet. */
const sheetsIn = (tail: Buffer) => new Set(tail.toString("latin1").match(/xl\/worksheets\/sheet\d+\.xml/g) ?? []).size;

async function sheetSplit(): Promise<BenchResult[]> {
  const slug = "bench-export-split";
  const bench = await ensureBenchDatabase({ contacts: SPLIT_ROWS, slug });
  const server = await startServer({ databaseUrl: bench.url, slug });
  try {
    const got = await download(server, "format=xlsx");
    const sheets = sheetsIn(got.tail);
    log(`  xlsx of ${SPLIT_ROWS.toLocaleString("en")} rows: ${sheets} sheets, ${got.seconds.toFixed(2)} s`);
    return [
      {
        name: "export xlsx 1,048,577 rows: sheets",
        value: sheets,
        unit: "sheets",
        limit: 2,
        ratio: sheets / 2,
        target: "2 sheets (Excel stops at 1,048,576 rows)",
        ok: sheets === 2,
      },
      memoryResult("export xlsx 1,048,577 rows memory", got.rssGrowthMb),
    ];
  } finally {
    await server.stop();
  }
}

/** PGlite's COPY writes to a blob in memory; the time to produce it is the reference. */
async function copyOnPglite(pglite: PGlite, workspaceId: string): Promise<number> {
  const started = performance.now();
  await pglite.query(
    `copy (select * from contacts where workspace_id = '${workspaceId}') to '/dev/blob' with (format csv)`,
  );
  return (performance.now() - started) / 1000;
}

async function onPglite(): Promise<BenchResult[]> {
  const dataDir = `${ROOT}.tmp/bench-export-pglite`;
  mkdirSync(dataDir, { recursive: true });
  const slug = "bench";
  const db = await openDatabase({ databaseUrl: undefined, dataDir });
  let copies: number[];
  try {
    const workspace = await seedWorkspace(db, slug);
    const [row] = await db.query<{ n: number }>("select count(*)::int as n from contacts where workspace_id = $1", [
      workspace.id,
    ]);
    const missing = PGLITE_ROWS - (row?.n ?? 0);
    if (missing > 0) {
      log(`  seeding ${missing.toLocaleString("en")} contacts into PGlite (${dataDir})`);
      await seedContacts(db, workspace, { count: missing });
    }
    const pglite = (db as unknown as { pglite: PGlite }).pglite;
    copies = [await copyOnPglite(pglite, workspace.id), await copyOnPglite(pglite, workspace.id)];
  } finally {
    await db.close();
  }
  return measure(
    `${(PGLITE_ROWS / 1000).toFixed(0)}k rows PGlite`,
    () => startServer({ dataDir, slug }),
    async () => copies.shift() as number,
  );
}

/** `BENCH_EXPORT_PARTS=1m,10k,split,pglite` (the default: all) runs some of them. */
const PARTS: Record<string, () => Promise<BenchResult[]>> = {
  "1m": () => onPostgres(1_000_000, "1M rows"),
  "10k": () => onPostgres(10_000, "10k rows", "bench-export-10k"),
  split: sheetSplit,
  pglite: onPglite,
};

export async function run(_options: { json: boolean }): Promise<BenchResult[]> {
  const names = (process.env.BENCH_EXPORT_PARTS ?? Object.keys(PARTS).join(",")).split(",");
  const results: BenchResult[] = [];
  for (const name of names) {
    const part = PARTS[name.trim()];
    if (!part) throw new Error(`BENCH_EXPORT_PARTS: no part "${name}"; there are ${Object.keys(PARTS).join(", ")}`);
    results.push(...(await part()));
  }
  return results;
}
