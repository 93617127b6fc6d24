import { type Actor, recordEvent } from "../audit/repository.ts";
import type { Db, Queryable } from "../db/db.ts";
import type { FieldError } from "../http/problem.ts";
import type { Mapping } from "./mapping.ts";

export type ImportStatus = "uploading" | "analyzing" | "ready" | "running" | "finished" | "failed";
export type OnDuplicate = "update" | "skip";

export interface PreviewRow {
  row: number;
  values: string[];
  errors: FieldError[];
  /** Cells that will not be imported, or not all of them (a second e-mail address). */
  notes?: { column: string; message: string }[];
}

export interface ImportRow {
  workspace_id: string;
  id: string;
  status: ImportStatus;
  error: string | null;
  file_name: string;
  size_bytes: string | number;
  format: "csv" | "xlsx" | "vcard" | null;
  delimiter: string | null;
  encoding: string | null;
  sheet: string | null;
  columns: string[] | null;
  mapping: Mapping | null;
  preview: PreviewRow[] | null;
  on_duplicate: OnDuplicate | null;
  tags: string[] | null;
  rows_total: number | null;
  rows_done: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  actor_type: Actor["type"];
  actor_id: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

/** An import as the API shows it. */
export function importFromRow(row: ImportRow) {
  const settled = row.status === "running" || row.status === "finished" || row.status === "failed";
  return {
    id: row.id,
    status: row.status === "uploading" ? "analyzing" : row.status,
    error: row.error,
    fileName: row.file_name,
    size: Number(row.size_bytes),
    format: row.format,
    delimiter: row.delimiter,
    encoding: row.encoding,
    sheet: row.sheet,
    columns: row.columns ?? [],
    mapping: row.mapping ?? {},
    // Imports analysed before notes existed have none.
    preview: (row.preview ?? []).map((p) => ({ ...p, notes: p.notes ?? [] })),
    onDuplicate: row.on_duplicate,
    tags: row.tags ?? [],
    progress: { done: row.rows_done, total: row.rows_total },
    result: settled ? { created: row.created, updated: row.updated, skipped: row.skipped, failed: row.failed } : null,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export async function insertImport(
  db: Queryable,
  workspaceId: string,
  actor: Actor,
  fileName: string,
  sheet: string | null,
): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    `insert into imports (workspace_id, status, file_name, sheet, actor_type, actor_id)
     values ($1, 'uploading', $2, $3, $4, $5) returning id`,
    [workspaceId, fileName, sheet, actor.type, actor.id],
  );
  return (row as { id: string }).id;
}

export async function saveChunk(db: Queryable, workspaceId: string, importId: string, no: number, data: Buffer) {
  await db.query("insert into import_chunks (workspace_id, import_id, chunk_no, data) values ($1, $2, $3, $4)", [
    workspaceId,
    importId,
    no,
    data,
  ]);
}

export async function getImport(db: Queryable, workspaceId: string, id: string): Promise<ImportRow | undefined> {
  const [row] = await db.query<ImportRow>("select * from imports where workspace_id = $1 and id = $2", [
    workspaceId,
    id,
  ]);
  return row;
}

/** An upload cut off by a crash never got its id to anyone: what it stored goes after an hour. */
export async function deleteAbandonedUploads(db: Queryable) {
  await db.query("delete from imports where status = 'uploading' and created_at < now() - interval '1 hour'");
}

/** The file is stored: the import waits for its analysis. */
export async function markUploaded(tx: Queryable, workspaceId: string, id: string, sizeBytes: number) {
  await tx.query("update imports set status = 'analyzing', size_bytes = $3 where workspace_id = $1 and id = $2", [
    workspaceId,
    id,
    sizeBytes,
  ]);
}

/** A ready import starts with these choices; false when it is no longer ready (started meanwhile). */
export async function markStarted(
  tx: Queryable,
  workspaceId: string,
  id: string,
  start: { mapping: unknown; onDuplicate: OnDuplicate; tags: string[] },
): Promise<boolean> {
  const rows = await tx.query(
    `update imports set status = 'running', mapping = $3, on_duplicate = $4, tags = $5, started_at = now()
     where workspace_id = $1 and id = $2 and status = 'ready' returning id`,
    [workspaceId, id, JSON.stringify(start.mapping), start.onDuplicate, start.tags],
  );
  return rows.length > 0;
}

export async function deleteImport(db: Queryable, workspaceId: string, id: string) {
  await db.query("delete from imports where workspace_id = $1 and id = $2", [workspaceId, id]);
}

export async function deleteFile(db: Queryable, workspaceId: string, id: string) {
  await db.query("delete from import_chunks where workspace_id = $1 and import_id = $2", [workspaceId, id]);
}

export interface Analysis {
  format: "csv" | "xlsx" | "vcard";
  encoding: string | null;
  delimiter: string | null;
  sheet: string | null;
  columns: string[];
  mapping: Mapping;
  preview: PreviewRow[];
  total: number;
}

export async function saveAnalysis(db: Queryable, workspaceId: string, id: string, analysis: Analysis) {
  await db.query(
    `update imports set status = 'ready', format = $3, encoding = $4, delimiter = $5, sheet = $6,
       columns = $7, mapping = $8, preview = $9, rows_total = $10
     where workspace_id = $1 and id = $2 and status = 'analyzing'`,
    [
      workspaceId,
      id,
      analysis.format,
      analysis.encoding,
      analysis.delimiter,
      analysis.sheet,
      JSON.stringify(analysis.columns),
      JSON.stringify(analysis.mapping),
      JSON.stringify(analysis.preview),
      analysis.total,
    ],
  );
}

/**
 * Marks an import failed. One that was running has written some batches: the audit log
 * records what it did before it stopped, as it records a finished one.
 */
export async function failImport(db: Db, workspaceId: string, id: string, error: string) {
  await db.transaction(async (tx) => {
    const [row] = await tx.query<ImportRow & { was: ImportStatus }>(
      `with before as (select status from imports where workspace_id = $1 and id = $2 for update)
       update imports i set status = 'failed', error = $3, finished_at = now() from before
       where i.workspace_id = $1 and i.id = $2 and before.status in ('analyzing', 'ready', 'running')
       returning before.status as was, i.*`,
      [workspaceId, id, error],
    );
    if (row?.was !== "running") return;
    await recordEvent(tx, workspaceId, { type: row.actor_type, id: row.actor_id as string }, "contacts.import_failed", {
      details: { ...importSummary(row), error },
    });
  });
}

/** What an import did, for the audit log. */
export function importSummary(row: ImportRow) {
  return {
    importId: row.id,
    fileName: row.file_name,
    rows: row.rows_done,
    created: row.created,
    updated: row.updated,
    skipped: row.skipped,
    failed: row.failed,
  };
}

/** What one batch did, added to the import's counts in the batch's transaction. */
export interface BatchCounts {
  rows: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
}

export async function addProgress(tx: Queryable, workspaceId: string, id: string, counts: BatchCounts) {
  await tx.query(
    `update imports set rows_done = rows_done + $3, created = created + $4, updated = updated + $5,
       skipped = skipped + $6, failed = failed + $7
     where workspace_id = $1 and id = $2`,
    [workspaceId, id, counts.rows, counts.created, counts.updated, counts.skipped, counts.failed],
  );
}

export async function saveRejected(
  tx: Queryable,
  workspaceId: string,
  id: string,
  rejected: { row: number; cells: string[]; error: string }[],
) {
  if (rejected.length === 0) return;
  await tx.query(
    `insert into import_errors (workspace_id, import_id, row_no, cells, error)
     select $1, $2, r, c::jsonb, e from unnest($3::int[], $4::text[], $5::text[]) as u(r, c, e)
     on conflict do nothing`,
    [
      workspaceId,
      id,
      rejected.map((r) => r.row),
      rejected.map((r) => JSON.stringify(r.cells)),
      rejected.map((r) => r.error),
    ],
  );
}

/** The rejected rows in file order, a keyset page at a time. */
export async function* rejectedRows(
  db: Queryable,
  workspaceId: string,
  id: string,
  pageSize = 2000,
): AsyncGenerator<{ row_no: number; cells: string[]; error: string }[]> {
  let after = 0;
  for (;;) {
    const rows = await db.query<{ row_no: number; cells: string[]; error: string }>(
      `select row_no, cells, error from import_errors where workspace_id = $1 and import_id = $2 and row_no > $3
       order by row_no limit $4`,
      [workspaceId, id, after, pageSize],
    );
    if (rows.length === 0) return;
    yield rows;
    after = (rows.at(-1) as { row_no: number }).row_no;
  }
}
