/**
 * npm run bench -- import
 * The import of 1,000,000 contacts (PostgreSQL server) from a CSV and from an .xlsx, over
 * HTTP like a browser, with full validation and dedupe (1 row in 100 repeats an earlier
 * row's e-mail, so it updates that contact). Beside it, in the same run, PostgreSQL's own
 * `COPY … FROM STDIN` of the same CSV into a plain table, and one unchecked `insert … select`
 * of those rows into the contacts table (its indexes are the floor of any import). The server's resident memory is
 * sampled throughout. Each import goes into a new workspace, removed afterwards.
 * BENCH_IMPORT_ROWS (default 1,000,000) and BENCH_IMPORT_PARTS=csv,xlsx change the run;
 * BENCH_IMPORT_NODE_ARGS passes flags to the server's node (e.g. "--cpu-prof").
 */
import { createWriteStream, existsSync, mkdirSync, openAsBlob, statSync } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Column } from "../src/spreadsheet/columns.ts";
import { xlsxStream } from "../src/spreadsheet/xlsx-writer.ts";
import { type BenchResult, type BenchServer, ensureBenchDatabase, log, ROOT, startServer } from "./lib.ts";

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const PARTS = (process.env.BENCH_IMPORT_PARTS ?? "csv,xlsx").split(",");
const TARGET = { csv: 50_000, xlsx: 25_000 } as const;
const RSS_LIMIT_MB = 300;
const BATCH = 10_000;
const MB = 1024 * 1024;

interface Person {
  first: string;
  last: string;
  email: string;
  phone: string;
  language: string;
  timezone: string;
  externalId: string;
  tags: string;
}

const FIRST = ["Zoë", "Jan", "Ann", "Émile", "Mohammed", "Sofia", "Liam", "Noor", "Daan", "Eva"];
const LAST = ["de Vries", "Jansen", "Smith", "O'Brien", "Müller", "García", "Bakker", "Visser"];
const LANGUAGES = ["nl-NL", "en", "en-US", "fr", "de"];
const ZONES = ["Europe/Amsterdam", "Europe/London", "America/New_York", "Europe/Paris"];
const TAGS = ["", "Sales", "Support", "Billing", "Sales, Billing"];

/** Row i of the file; every 100th repeats the e-mail of the row 50 before it. */
function person(i: number): Person {
  const email = i % 100 === 99 ? `person${i - 50}@example.com` : `person${i}@example.com`;
  return {
    first: FIRST[i % FIRST.length] as string,
    last: LAST[i % LAST.length] as string,
    email,
    // National numbers, read in the workspace's country (NL).
    phone: i % 2 ? `06 ${String(10_000_000 + i).slice(-8)}` : `+31 6 ${String(20_000_000 + i).slice(-8)}`,
    language: LANGUAGES[i % LANGUAGES.length] as string,
    timezone: ZONES[i % ZONES.length] as string,
    externalId: `crm-${i}`,
    tags: TAGS[i % TAGS.length] as string,
  };
}

const COLUMNS: Column<Person>[] = [
  { header: "First name", kind: "text", width: 12, value: (p) => p.first },
  { header: "Last name", kind: "text", width: 12, value: (p) => p.last },
  { header: "Email", kind: "text", width: 24, value: (p) => p.email },
  { header: "Phone", kind: "phone", width: 16, value: (p) => p.phone },
  { header: "Language", kind: "text", width: 8, value: (p) => p.language },
  { header: "Timezone", kind: "text", width: 18, value: (p) => p.timezone },
  { header: "External ID", kind: "text", width: 12, value: (p) => p.externalId },
  { header: "Tags", kind: "text", width: 16, value: (p) => p.tags },
];

async function* batches(): AsyncGenerator<Person[]> {
  for (let start = 0; start < ROWS; start += BATCH) {
    const batch: Person[] = [];
    for (let i = start; i < Math.min(ROWS, start + BATCH); i++) batch.push(person(i));
    yield batch;
  }
}

async function* csvText(): AsyncGenerator<string> {
  yield `\uFEFF${COLUMNS.map((c) => c.header).join(";")}\r\n`;
  for await (const batch of batches()) {
    yield batch.map((p) => `${COLUMNS.map((c) => quote(c.value(p) ?? "")).join(";")}\r\n`).join("");
  }
}

const quote = (value: string) => (/[;"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

async function ensureFiles(): Promise<{ csv: string; xlsx: string }> {
  const dir = `${ROOT}.tmp`;
  mkdirSync(dir, { recursive: true });
  const csv = `${dir}/bench-import-${ROWS}.csv`;
  const xlsx = `${dir}/bench-import-${ROWS}.xlsx`;
  if (!existsSync(csv)) {
    log(`Writing ${csv}`);
    await pipeline(Readable.from(csvText()), createWriteStream(`${csv}.part`));
    await import("node:fs/promises").then((fs) => fs.rename(`${csv}.part`, csv));
  }
  if (!existsSync(xlsx) && PARTS.includes("xlsx")) {
    log(`Writing ${xlsx}`);
    await pipeline(xlsxStream(COLUMNS, batches(), { sheetName: "Contacts" }), createWriteStream(`${xlsx}.part`));
    await import("node:fs/promises").then((fs) => fs.rename(`${xlsx}.part`, xlsx));
  }
  return { csv, xlsx };
}

/** `COPY … FROM STDIN` of the CSV into a plain table: the floor of what writing rows costs. */
async function copyRate(url: string, csv: string): Promise<{ copy: number; floor: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create table if not exists bench_import_copy (first_name text, last_name text, email text,
      phone text, language text, timezone text, external_id text, tags text)`);
    await client.query("truncate bench_import_copy");
    const started = performance.now();
    const stream = client.query(
      copyFrom("copy bench_import_copy from stdin with (format csv, header true, delimiter ';', encoding 'UTF8')"),
    );
    // The BOM would become part of the first header cell, which COPY skips anyway.
    await pipeline(Readable.from((await openAsBlob(csv)).stream() as never), stream);
    const seconds = (performance.now() - started) / 1000;
    const [row] = (await client.query("select count(*)::int as n from bench_import_copy")).rows;
    if (row.n !== ROWS) throw new Error(`COPY loaded ${row.n} rows, not ${ROWS}`);
    // The floor of this schema: the same rows, unchecked, into the real contacts table
    // (ten indexes, two computed columns) with one statement, then rolled back.
    await client.query("begin");
    const [workspace] = (
      await client.query(
        "insert into workspaces (slug, name, cursor_secret) values ($1, 'floor', '\\x00') returning id",
        [`bench-import-floor-${process.pid}`],
      )
    ).rows;
    const floorStarted = performance.now();
    await client.query(
      `insert into contacts (workspace_id, first_name, last_name, email, phone, phone_digits, language, timezone, external_id)
       select $1, first_name, last_name, email, phone, phone, language, timezone, external_id from bench_import_copy
       on conflict do nothing`,
      [workspace.id],
    );
    const floorSeconds = (performance.now() - floorStarted) / 1000;
    await client.query("rollback");
    await client.query("drop table bench_import_copy");
    return { copy: ROWS / seconds, floor: ROWS / floorSeconds };
  } finally {
    await client.end();
  }
}

async function api(server: BenchServer, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${server.adminToken}`,
      ...(body ? { "content-type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (await response.json()) as any;
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function waitWhile(server: BenchServer, id: string, status: string, sample: () => void) {
  for (;;) {
    const got = await api(server, "GET", `/imports/${id}`);
    sample();
    if (got.status !== status) return got;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

interface ImportRun {
  uploadSeconds: number;
  analyseSeconds: number;
  runSeconds: number;
  peakRssMb: number;
  /** The peak of each step (upload, analysis, import), to tell which one holds the memory. */
  stepPeaksMb: number[];
  baseRssMb: number;
  result: { created: number; updated: number; skipped: number; failed: number };
}

async function importOnce(url: string, path: string, slug: string): Promise<ImportRun> {
  const server = await startServer({
    databaseUrl: url,
    slug,
    env: { IMPORT_MAX_BYTES: String(400 * MB) },
    nodeArgs: process.env.BENCH_IMPORT_NODE_ARGS?.split(" ").filter(Boolean),
  });
  const base = server.rss();
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, server.rss());
  }, 100);
  const sample = () => {
    peak = Math.max(peak, server.rss());
  };
  try {
    const form = new FormData();
    form.append("file", await openAsBlob(path), path.split("/").at(-1));
    let started = performance.now();
    const response = await fetch(`${server.url}/imports`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.adminToken}` },
      body: form,
    });
    const uploaded = (await response.json()) as any;
    if (response.status !== 202) throw new Error(`upload: ${response.status} ${JSON.stringify(uploaded)}`);
    const uploadSeconds = (performance.now() - started) / 1000;
    const steps = [peak];
    started = performance.now();
    const ready = await waitWhile(server, uploaded.id, "analyzing", sample);
    if (ready.status !== "ready") throw new Error(`analysis: ${JSON.stringify(ready)}`);
    const analyseSeconds = (performance.now() - started) / 1000;
    steps.push(peak);
    started = performance.now();
    await api(server, "POST", `/imports/${uploaded.id}/start`, { onDuplicate: "update", tags: ["Imported"] });
    const done = await waitWhile(server, uploaded.id, "running", sample);
    const runSeconds = (performance.now() - started) / 1000;
    if (done.status !== "finished") throw new Error(`import: ${JSON.stringify(done)}`);
    return {
      uploadSeconds,
      analyseSeconds,
      runSeconds,
      peakRssMb: peak / MB,
      stepPeaksMb: [...steps, peak].map((p) => p / MB),
      baseRssMb: base / MB,
      result: done.result,
    };
  } finally {
    clearInterval(sampler);
    await server.stop();
  }
}

async function dropWorkspace(url: string, slug: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("delete from workspaces where slug = $1", [slug]);
  } finally {
    await client.end();
  }
}

export async function run(_options: { json: boolean }): Promise<BenchResult[]> {
  // The database only: the imports go into workspaces of their own, so nothing is seeded for them.
  const { url } = await ensureBenchDatabase({ contacts: 0 });
  const files = await ensureFiles();
  log(
    `CSV ${(statSync(files.csv).size / MB).toFixed(0)} MB${PARTS.includes("xlsx") ? `, xlsx ${(statSync(files.xlsx).size / MB).toFixed(0)} MB` : ""}, ${ROWS.toLocaleString("en")} rows`,
  );
  const { copy, floor } = await copyRate(url, files.csv);
  log(`COPY FROM STDIN into a plain table: ${Math.round(copy).toLocaleString("en")} rows/s`);
  log(
    `insert … select of the same rows into contacts (the schema's floor): ${Math.round(floor).toLocaleString("en")} rows/s`,
  );
  const results: BenchResult[] = [];
  for (const format of ["csv", "xlsx"] as const) {
    if (!PARTS.includes(format)) continue;
    const slug = `bench-import-${format}-${process.pid}`;
    try {
      const outcome = await importOnce(url, files[format], slug);
      const { created, updated, skipped, failed } = outcome.result;
      log(
        `${format}: upload ${outcome.uploadSeconds.toFixed(1)} s, analysis ${outcome.analyseSeconds.toFixed(1)} s, import ${outcome.runSeconds.toFixed(1)} s; ` +
          `created ${created}, updated ${updated}, skipped ${skipped}, failed ${failed}; peak RSS ${outcome.peakRssMb.toFixed(0)} MB ` +
          `(by the end of upload / analysis / import: ${outcome.stepPeaksMb.map((p) => p.toFixed(0)).join(" / ")} MB)`,
      );
      if (created + updated + skipped + failed !== ROWS || failed !== 0) {
        throw new Error(`the counts do not add up to ${ROWS} rows: ${JSON.stringify(outcome.result)}`);
      }
      const rate = ROWS / outcome.runSeconds;
      results.push({
        name: `import ${format} ${ROWS.toLocaleString("en")} rows (validate, dedupe, write)`,
        value: Math.round(rate),
        unit: "rows/s",
        limit: Math.round(copy),
        ratio: rate / copy,
        target: `≥ ${TARGET[format].toLocaleString("en")} rows/s`,
        ok: rate >= TARGET[format],
      });
      results.push({
        name: `import ${format} beside a bare insert into contacts`,
        value: Math.round(rate),
        unit: "rows/s",
        limit: Math.round(floor),
        ratio: rate / floor,
        target: "(reported)",
        ok: true,
      });
      const whole = ROWS / (outcome.uploadSeconds + outcome.analyseSeconds + outcome.runSeconds);
      results.push({
        name: `import ${format} upload → finished, all steps`,
        value: Math.round(whole),
        unit: "rows/s",
        limit: Math.round(copy),
        ratio: whole / copy,
        target: "(reported)",
        ok: true,
      });
      results.push({
        name: `import ${format} peak server RSS (${Math.round(outcome.baseRssMb)} MB idle)`,
        value: Math.round(outcome.peakRssMb),
        unit: "MB",
        limit: RSS_LIMIT_MB,
        ratio: outcome.peakRssMb / RSS_LIMIT_MB,
        target: `≤ ${RSS_LIMIT_MB} MB`,
        ok: outcome.peakRssMb <= RSS_LIMIT_MB,
      });
    } finally {
      await dropWorkspace(url, slug);
    }
  }
  return results;
}
