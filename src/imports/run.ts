import { recordEvent } from "../audit/repository.ts";
import type { Db } from "../db/db.ts";
import { maintainSoon } from "../db/maintenance.ts";
import type { Job, Lease } from "../jobs/runner.ts";
import { csvRows, type SheetRow } from "../spreadsheet/csv-reader.ts";
import { openWorkbook } from "../spreadsheet/xlsx-reader.ts";
import {
  type Delimiter,
  detectDelimiter,
  detectEncoding,
  type Encoding,
  isVcardName,
  isZip,
  UnreadableFile,
} from "./detect.ts";
import { storedFile } from "./file.ts";
import { type ColumnPlan, columnFields, columnPlan, guessMapping, type Mapping } from "./mapping.ts";
import {
  type Analysis,
  addProgress,
  deleteFile,
  failImport,
  getImport,
  type ImportRow,
  importSummary,
  type PreviewRow,
  saveAnalysis,
  saveRejected,
} from "./repository.ts";
import { type CheckedRow, checkRow, creationError } from "./rows.ts";
import { looksLikeVcard, scanVcard, vcardRows } from "./vcard.ts";
import { writeBatch } from "./writer.ts";

export const PREVIEW_ROWS = 20;

/**
 * PGlite runs in this thread and answers through promises alone, so a loop of queries
 * never lets the event loop read a request: the import steps aside between batches, and
 * the API stays responsive while it runs.
 */
const stepAside = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface ImportSettings {
  /** Rows written per transaction: a crash loses at most this many, to be redone. */
  batchRows: number;
  /** What all parts of one workbook may unpack to (zip bombs stop here). */
  unpackLimit: number;
}

/** Where the rows of an import come from: the header, then the data rows. */
interface Source {
  format: "csv" | "xlsx" | "vcard";
  encoding: Encoding | null;
  delimiter: Delimiter | null;
  sheet: string | null;
  rows(): AsyncGenerator<SheetRow>;
}

async function openSource(db: Db, imp: ImportRow, settings: ImportSettings): Promise<Source> {
  const file = storedFile(db, imp.workspace_id, imp.id, Number(imp.size_bytes));
  const sample = await file.read(0, 1024 * 1024);
  if (isZip(sample)) {
    const workbook = await openWorkbook(file, settings.unpackLimit);
    const first = workbook.sheets[0] as string;
    const chosen = imp.sheet ?? first;
    if (!workbook.sheets.includes(chosen)) {
      throw new UnreadableFile(
        `The workbook has no sheet named "${chosen}"; it has ${workbook.sheets.map((s) => `"${s}"`).join(", ")}.`,
      );
    }
    // Our export continues a long list on sheets "Contacts 2", "Contacts 3", …
    const sheets = imp.sheet
      ? [chosen]
      : [first, ...workbook.sheets.filter((s) => new RegExp(`^${escapeRegExp(first)} \\d+$`).test(s))];
    return {
      format: "xlsx",
      encoding: null,
      delimiter: null,
      sheet: chosen,
      async *rows() {
        for (const [index, sheet] of sheets.entries()) {
          let header = true;
          for await (const row of workbook.rows(sheet)) {
            // A continuation sheet repeats the header.
            if (index > 0 && header) {
              header = false;
              continue;
            }
            header = false;
            yield row;
          }
        }
      },
    };
  }
  let encoding = imp.encoding as Encoding | null;
  encoding ??= detectEncoding(sample);
  const text = new TextDecoder(encoding).decode(sample.subarray(0, 256 * 1024), { stream: true });
  if (imp.format === "vcard" || looksLikeVcard(text)) {
    const chosen = encoding;
    return {
      format: "vcard",
      encoding,
      delimiter: null,
      sheet: null,
      async *rows() {
        // The analysis reads the cards once for the columns they need; the run has them.
        const columns = imp.columns ?? (await scanVcard(file.stream(), chosen));
        yield* vcardRows(file.stream(), chosen, columns);
      },
    };
  }
  if (isVcardName(imp.file_name)) {
    throw new UnreadableFile(
      "The file is named .vcf but is not a vCard file: it does not start with BEGIN:VCARD. Export the contacts as vCard again, or upload a CSV.",
    );
  }
  const delimiter = (imp.delimiter as Delimiter | null) ?? detectDelimiter(text);
  const chosen = encoding;
  return { format: "csv", encoding, delimiter, sheet: null, rows: () => csvRows(file.stream(), chosen, delimiter) };
}

/** A preview shows a cell's start: a 1 MB cell would make every poll of the import heavy. */
const shorten = (cell: string) => (cell.length > 1000 ? `${cell.slice(0, 1000)}…` : cell);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Header cells, trimmed; an empty one is named after its column ("Column 3"). */
function headerOf(cells: string[]): string[] {
  return cells.map((cell, i) => cell.trim() || `Column ${i + 1}`);
}

async function workspaceCountry(db: Db, workspaceId: string): Promise<string> {
  const [row] = await db.query<{ default_country: string }>("select default_country from workspaces where id = $1", [
    workspaceId,
  ]);
  return row?.default_country ?? "NL";
}

/**
 * Reads the whole file once: its format, encoding and delimiter, its header and a mapping
 * guessed from it, the first rows checked as the import will check them, and the number
 * of data rows (for progress). A CSV that looked like UTF-8 at the start but is not
 * further down is read again as Windows-1252.
 */
export async function analyseImport(db: Db, job: Job, settings: ImportSettings, lease: Lease) {
  const imp = await getImport(db, job.workspace_id, job.subject_id);
  if (imp?.status !== "analyzing") return;
  try {
    const country = await workspaceCountry(db, imp.workspace_id);
    let analysis: Analysis;
    try {
      analysis = await analyse(await openSource(db, imp, settings), country, lease);
    } catch (error) {
      if (!(error instanceof UnreadableFile) || !/not valid UTF-8/.test(error.message)) throw error;
      analysis = await analyse(await openSource(db, { ...imp, encoding: "windows-1252" }, settings), country, lease);
    }
    await saveAnalysis(db, imp.workspace_id, imp.id, analysis);
  } catch (error) {
    if (!(error instanceof UnreadableFile)) throw error;
    await failImport(db, imp.workspace_id, imp.id, error.message);
    await deleteFile(db, imp.workspace_id, imp.id);
  }
}

async function analyse(source: Source, country: string, lease: Lease): Promise<Analysis> {
  let columns: string[] | undefined;
  let plan: ColumnPlan = columnPlan([], []);
  let mapping: Mapping = {};
  const preview: PreviewRow[] = [];
  let total = 0;
  for await (const { row, cells } of source.rows()) {
    if (lease.signal.aborted) throw lease.signal.reason;
    if (!columns) {
      columns = headerOf(cells);
      mapping = guessMapping(columns);
      plan = columnPlan(columns, columnFields(columns, mapping).fields);
      continue;
    }
    total++;
    if (total % 5000 === 0) await stepAside();
    if (preview.length < PREVIEW_ROWS) {
      const checked = checkRow(row, cells, plan, columns.length, country, source.format === "csv");
      const missing = checked.errors.length === 0 && !checked.id ? creationError(checked) : undefined;
      preview.push({
        row,
        values: cells.map(shorten),
        errors: missing ? [missing] : checked.errors,
        notes: checked.notes,
      });
    }
  }
  if (!columns) throw new UnreadableFile("The file is empty: it has no header row and no contacts.");
  if (total === 0) throw new UnreadableFile("The file has a header row but no contacts below it.");
  return {
    format: source.format,
    encoding: source.encoding,
    delimiter: source.delimiter,
    sheet: source.sheet,
    columns,
    mapping,
    preview,
    total,
  };
}

/**
 * Runs an import from where it stopped: the rows already counted in `rows_done` were
 * written in committed batches, so they are read past, not written again.
 */
export async function runImport(db: Db, job: Job, settings: ImportSettings, lease: Lease) {
  const imp = await getImport(db, job.workspace_id, job.subject_id);
  if (imp?.status !== "running") return;
  const country = await workspaceCountry(db, imp.workspace_id);
  const columns = imp.columns ?? [];
  const plan = columnPlan(columns, columnFields(columns, imp.mapping ?? {}).fields);
  const options = { workspaceId: imp.workspace_id, onDuplicate: imp.on_duplicate ?? "skip", tags: imp.tags ?? [] };
  try {
    const source = await openSource(db, imp, settings);
    const rows = dataRows(source, imp.rows_done);
    const csv = source.format === "csv";
    const nextBatch = async (): Promise<CheckedRow[]> => {
      const batch: CheckedRow[] = [];
      while (batch.length < settings.batchRows) {
        const next = await rows.next();
        if (next.done) break;
        const { row, cells } = next.value;
        batch.push(checkRow(row, cells, plan, columns.length, country, csv));
      }
      return batch;
    };
    // The next batch is read and checked while the database writes this one.
    let pending = nextBatch();
    for (;;) {
      const batch = await pending;
      if (batch.length === 0) break;
      if (lease.signal.aborted) throw lease.signal.reason;
      pending = nextBatch();
      pending.catch(() => {});
      await db.transaction(async (tx) => {
        await lease.renew(tx);
        const { counts, rejected } = await writeBatch(tx, batch, options);
        await saveRejected(tx, imp.workspace_id, imp.id, rejected);
        await addProgress(tx, imp.workspace_id, imp.id, counts);
      });
      await stepAside();
    }
  } catch (error) {
    if (!(error instanceof UnreadableFile)) throw error;
    await failImport(db, imp.workspace_id, imp.id, error.message);
    return;
  }
  maintainSoon(db); // the embedded database analyses and vacuums what the import changed
  await finishImport(db, imp, lease);
}

/** The data rows after the header, less the first `skip` (done before a restart). */
async function* dataRows(source: Source, skip: number): AsyncGenerator<SheetRow> {
  let header = true;
  let seen = 0;
  for await (const row of source.rows()) {
    if (header) {
      header = false;
      continue;
    }
    if (seen++ < skip) continue;
    yield row;
  }
}

async function finishImport(db: Db, imp: ImportRow, lease: Lease) {
  await db.transaction(async (tx) => {
    await lease.renew(tx);
    const [done] = await tx.query<ImportRow>(
      `update imports set status = 'finished', finished_at = now(), rows_total = rows_done
       where workspace_id = $1 and id = $2 and status = 'running' returning *`,
      [imp.workspace_id, imp.id],
    );
    if (!done) return;
    await recordEvent(tx, imp.workspace_id, { type: imp.actor_type, id: imp.actor_id as string }, "contacts.imported", {
      details: importSummary(done),
    });
  });
  await deleteFile(db, imp.workspace_id, imp.id);
}
