import { type ContactColumn, sheetColumns } from "../contacts/columns.ts";
import type { CellKind } from "../spreadsheet/columns.ts";
import { BOM, type CsvDelimiter, quoter } from "../spreadsheet/csv-writer.ts";
import { neutralise } from "../spreadsheet/neutralise.ts";
import { type ExportRead, type Keyed, keysetBatches, SERVER_AHEAD, TagNames, tagIdsText } from "./rows.ts";

/**
 * Rows per query for CSV. At a million rows 5,000 was no quicker than 2,500 and raised
 * the server's memory by 180 MB against 140 MB.
 */
export const CSV_BATCH_SIZE = 2_500;

/** Separates the fields of `line` below: a control character, which no contact field holds. */
const SEP = "\u001f";

/** A time as the API writes it (ISO 8601 UTC) from PostgreSQL's text of it in UTC. */
const isoText = (sql: string) => `replace(replace(${sql}::text, ' ', 'T'), '+00', 'Z')`;

/** A column's cell before quoting, as PostgreSQL can give it: text, ISO time, or tag ids. */
function cellText(column: ContactColumn): string {
  if (column.type === "time") return isoText(column.sql);
  if (column.type === "tags") return tagIdsText(column.sql);
  return column.sql;
}

/**
 * The export's CSV reads each contact as one pre-joined string, not as a dozen columns:
 * node is what bounds a CSV export, and parsing and keeping a string and a property per
 * cell was most of the time a row took there. PostgreSQL joins and converts (it has time
 * to spare meanwhile); checking and quoting stay here, where they cost one regular
 * expression a row. `line` holds the row's cells in the order of the columns, joined by
 * SEP (NULL as empty): text as stored, times as the API writes them (ISO 8601 UTC), and
 * for tags the ids ("id id"), named here from the catalogue.
 */
export const csvSelect = (columns: readonly ContactColumn[]) =>
  `c.id, concat(${columns.map(cellText).join(", E'\\x1f', ")}) as line`;

interface CsvRow extends Keyed {
  line: string;
}

/** A cell that needs nothing: no formula character first, no delimiter, quote or control character. */
const plainField = (delimiter: CsvDelimiter) =>
  `(?:[^\\u0000-\\u001f"${delimiter}=+\\-@][^\\u0000-\\u001f"${delimiter}]*)?`;

/**
 * The lines that the CSV holds exactly as PostgreSQL joined them, but for the tag ids:
 * no text cell starting with a formula character (but an E.164 phone in a phone column),
 * none holding the delimiter, a quote or a control character, every time in ISO form
 * (an infinite one starts like a formula or is text). Such a row is written by swapping
 * SEP for the delimiter; any other goes cell by cell.
 */
function plainLine(columns: readonly ContactColumn[], delimiter: CsvDelimiter): RegExp {
  const field = plainField(delimiter);
  const patterns = columns.map((column) => {
    switch (column.type) {
      case "phone":
        return `(?:\\+[1-9]\\d{6,14}|${field})`;
      case "tags":
        return "[0-9a-f -]*";
      case "time":
        return "(?:[0-9][0-9T:.Z-]*)?";
      default:
        return field;
    }
  });
  return new RegExp(`^${patterns.join(SEP)}$`);
}

/**
 * The contacts of a filter as CSV text, one chunk per batch (the BOM and header first),
 * cell for cell what `csvChunks` writes for the same columns.
 */
export async function* contactCsv(
  options: ExportRead & { columns: readonly ContactColumn[]; delimiter: CsvDelimiter; batchSize?: number },
): AsyncGenerator<string> {
  const { columns, db, workspaceId, delimiter, batchSize = CSV_BATCH_SIZE, ...read } = options;
  const quote = quoter(delimiter);
  const cell = (value: string | null, kind: CellKind = "text") =>
    value === null || value === "" ? "" : quote(neutralise(value, kind));
  const plain = plainLine(columns, delimiter);
  /** Where the tags are among the cells (-1: no tags column); a plain line is written around them. */
  const tagsAt = columns.findIndex((column) => column.type === "tags");
  const tags = new TagNames(db, workspaceId);
  await tags.load();
  /** A contact's tag ids → its Tags cell; few combinations recur over a whole list. */
  let tagCells = new Map<string, string>();
  const tagCell = (ids: string) => {
    if (ids === "") return "";
    let text = tagCells.get(ids);
    if (text === undefined) {
      text = cell(tags.names(ids).join(", ") || null);
      if (tagCells.size >= 10_000) tagCells = new Map();
      tagCells.set(ids, text);
    }
    return text;
  };
  const kinds = sheetColumns(columns).map((column) => column.kind);

  /** The cells of a row that is not plain, one by one. */
  async function cells(row: CsvRow): Promise<string | undefined> {
    let values: string[] = row.line.split(SEP);
    if (values.length !== columns.length) {
      // A field holds SEP itself (only SQL written by hand can put it there): read it again.
      const [stored] = await db.query<Record<string, string | null>>(
        `select ${columns.map((column, i) => `${cellText(column)} as c${i}`).join(", ")}
         from contacts c where c.workspace_id = $1 and c.id = $2`,
        [workspaceId, row.id],
      );
      if (!stored) return undefined;
      values = columns.map((_, i) => stored[`c${i}`] ?? "");
    }
    return values
      .map((value, i) => (i === tagsAt ? tagCell(value) : cell(value, kinds[i] === "phone" ? "phone" : "text")))
      .join(delimiter);
  }

  yield `${BOM}${columns.map((c) => quote(c.header)).join(delimiter)}\r\n`;
  const pages = keysetBatches<CsvRow>({
    db,
    workspaceId,
    ...read,
    batchSize,
    select: csvSelect(columns),
    ahead: SERVER_AHEAD,
  });
  for await (const rows of pages) {
    const parts: string[] = [];
    let reloaded = false;
    for (const row of rows) {
      const { line } = row;
      if (!plain.test(line)) {
        const text = await cells(row);
        // A contact deleted between the batch and that second read is left out.
        if (text !== undefined) parts.push(text, "\r\n");
        continue;
      }
      if (tagsAt < 0) {
        parts.push(line.replaceAll(SEP, delimiter), "\r\n");
        continue;
      }
      let start = 0;
      for (let i = 0; i < tagsAt; i++) start = line.indexOf(SEP, start) + 1;
      const found = line.indexOf(SEP, start);
      const end = found < 0 ? line.length : found;
      const tagIds = line.slice(start, end);
      if (!reloaded && tagIds !== "" && !tagCells.has(tagIds) && !tags.knows(tagIds)) {
        // A tag made since the export began: read the catalogue again, once per batch.
        await tags.load();
        tagCells = new Map();
        reloaded = true;
      }
      parts.push(
        line.slice(0, start).replaceAll(SEP, delimiter),
        tagCell(tagIds),
        line.slice(end).replaceAll(SEP, delimiter),
        "\r\n",
      );
    }
    yield parts.join("");
  }
}
