/**
 * The shared harness of the benchmarks: a seeded PostgreSQL database, the real server as
 * a child process, and the report. Each figure is printed beside a reference measured in
 * the same run, because absolute times drift from machine to machine.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { newSecret } from "../src/auth/secrets.ts";
import type { Db } from "../src/db/db.ts";
import { openDatabase } from "../src/db/open.ts";
import { seedContacts, seedWorkspace } from "../src/seed/seed.ts";

export interface BenchResult {
  name: string;
  /** Our figure. */
  value: number;
  unit: string;
  /** The reference, measured in the same run. */
  limit: number;
  /** value / limit, or as the target defines it. */
  ratio: number;
  /** What must hold, e.g. "≤ 3× COPY" or "p95 ≤ 5 ms". */
  target: string;
  ok: boolean;
}

export const BENCH_DATABASE_URL: string =
  process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/contacts_bench";

export const BENCH_SLUG = "bench";
export const BENCH_CONTACTS = 1_000_000;

export const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Progress goes to stderr, so `--json` leaves stdout to the one JSON array. */
export const log = (message: string) => process.stderr.write(`${message}\n`);

async function createDatabaseIfMissing(url: string) {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`BENCH_DATABASE_URL names an odd database: "${name}"`);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (!rowCount) {
      log(`Creating database ${name}`);
      await client.query(`create database ${name}`);
    }
  } finally {
    await client.end();
  }
}

/**
 * The benchmark database: created when missing, migrated, and its workspace "bench"
 * seeded up to `contacts` (1,000,000 by default). Quick when that is already done.
 */
export async function ensureBenchDatabase(
  opts: { contacts?: number; slug?: string } = {},
): Promise<{ url: string; workspaceId: string; slug: string }> {
  const url = BENCH_DATABASE_URL;
  const slug = opts.slug ?? BENCH_SLUG;
  const wanted = opts.contacts ?? BENCH_CONTACTS;
  await createDatabaseIfMissing(url);
  const db = await openDatabase({ databaseUrl: url, dataDir: "" });
  try {
    const workspace = await seedWorkspace(db, slug);
    const [row] = await db.query<{ n: number }>("select count(*)::int as n from contacts where workspace_id = $1", [
      workspace.id,
    ]);
    const have = row?.n ?? 0;
    if (have < wanted) {
      log(`Seeding ${(wanted - have).toLocaleString("en")} contacts into workspace "${slug}" (has ${have})`);
      let reported = 0;
      const result = await seedContacts(db, workspace, {
        count: wanted - have,
        onProgress({ added, total, elapsedMs }) {
          if (added - reported < 100_000 && added < total) return;
          reported = added;
          log(`  ${added.toLocaleString("en")} / ${total.toLocaleString("en")} in ${(elapsedMs / 1000).toFixed(0)} s`);
        },
      });
      log(`Seeded ${result.added.toLocaleString("en")} contacts in ${(result.elapsedMs / 1000).toFixed(1)} s`);
    }
    return { url, workspaceId: workspace.id, slug };
  } finally {
    await db.close();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** An API token of this role for the workspace, written straight into the database. */
async function insertToken(
  db: Db,
  workspaceId: string,
  role: "admin" | "operator",
): Promise<{ secret: string; id: string }> {
  const { secret, hash } = newSecret("ctk_", workspaceId);
  const [row] = await db.query<{ id: string }>(
    "insert into api_tokens (workspace_id, name, role, token_hash) values ($1, $2, $3, $4) returning id",
    [workspaceId, `bench ${role}`, role, hash],
  );
  return { secret, id: (row as { id: string }).id };
}

/** Removes the tokens a benchmark server was given, so runs do not pile them up. */
async function revokeTokens(databaseUrl: string, workspaceId: string, ids: string[]) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("delete from api_tokens where workspace_id = $1 and id = any($2::uuid[])", [workspaceId, ids]);
  } finally {
    await client.end();
  }
}

export interface BenchServer {
  /** The API base, e.g. http://127.0.0.1:41234/api/v1 */
  url: string;
  origin: string;
  adminToken: string;
  operatorToken: string;
  pid: number;
  /** The server process's resident memory now, in bytes. */
  rss(): number;
  stop(): Promise<void>;
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

async function waitForHealth(origin: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The server exited (${child.exitCode}):\n${output()}`);
    try {
      const response = await fetch(`${origin}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`The server did not answer /healthz within 60 s:\n${output()}`);
}

/**
 * The real server (node src/main.ts) as a child process on a free port, on the given
 * database (the PostgreSQL server at `databaseUrl`, or PGlite in `dataDir`), with the
 * API rate limit out of the way and the bench routes on. Its tokens belong to the
 * workspace `slug` ("bench" by default), created when missing. They are written before
 * the server starts, because a PGlite data directory is one process's at a time.
 */
export async function startServer(opts: {
  databaseUrl?: string;
  dataDir?: string;
  env?: Record<string, string>;
  slug?: string;
  /** Extra node flags for the server, e.g. ["--cpu-prof"]. */
  nodeArgs?: string[];
}): Promise<BenchServer> {
  if (!opts.databaseUrl && !opts.dataDir) throw new Error("startServer needs databaseUrl or dataDir");
  const db = await openDatabase({ databaseUrl: opts.databaseUrl, dataDir: opts.dataDir ?? "" });
  let admin: { secret: string; id: string };
  let operator: { secret: string; id: string };
  let workspaceId: string;
  try {
    const workspace = await seedWorkspace(db, opts.slug ?? BENCH_SLUG);
    workspaceId = workspace.id;
    admin = await insertToken(db, workspace.id, "admin");
    operator = await insertToken(db, workspace.id, "operator");
  } finally {
    await db.close();
  }

  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    API_RATE_LIMIT: "1000000000",
    LOG_LEVEL: "warn",
    BENCH_ROUTES: "1",
    ...opts.env,
  };
  delete env.DATABASE_URL;
  delete env.DATA_DIR;
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  else env.DATA_DIR = opts.dataDir;

  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), "--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(origin, child, () => output);
  } catch (error) {
    child.kill("SIGKILL");
    if (opts.databaseUrl) await revokeTokens(opts.databaseUrl, workspaceId, [admin.id, operator.id]);
    throw error;
  }
  const pid = child.pid as number;
  return {
    url: `${origin}/api/v1`,
    origin,
    adminToken: admin.secret,
    operatorToken: operator.secret,
    pid,
    rss: () => rssOf(pid),
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      // A PGlite directory's tokens go with the directory; a server database is kept.
      if (opts.databaseUrl) await revokeTokens(opts.databaseUrl, workspaceId, [admin.id, operator.id]);
    },
  };
}

/** The p-th percentile (0–100) of ascending durations, nearest rank. */
export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sortedMs.length);
  return sortedMs[Math.min(sortedMs.length, Math.max(1, rank)) - 1] as number;
}

const figure = (n: number) =>
  !Number.isFinite(n) ? String(n) : Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);

/** One JSON array (`--json`), or a table a person reads. */
export function printResults(results: BenchResult[], json: boolean): void {
  if (json) {
    const plain = results.map(({ name, value, unit, limit, ratio, target, ok }) => ({
      name,
      value,
      unit,
      limit,
      ratio,
      target,
      ok,
    }));
    process.stdout.write(`${JSON.stringify(plain, null, 2)}\n`);
    return;
  }
  const rows = [
    ["benchmark", "value", "limit", "ratio", "target", ""],
    ...results.map((r) => [
      r.name,
      `${figure(r.value)} ${r.unit}`,
      `${figure(r.limit)} ${r.unit}`,
      `${figure(r.ratio)}×`,
      r.target,
      r.ok ? "ok" : "MISSED",
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => [...(row[i] ?? "")].length))) ?? [];
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === 1 || i === 2 || i === 3 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  process.stdout.write(`${line(rows[0] as string[])}\n`);
  process.stdout.write(`${widths.map((w) => "-".repeat(w)).join("  ")}\n`);
  for (const row of rows.slice(1)) process.stdout.write(`${line(row)}\n`);
  const missed = results.filter((r) => !r.ok).length;
  process.stdout.write(`\n${results.length - missed} of ${results.length} targets met\n`);
}
