import type { ContactFilter } from "../contacts/query.ts";
import type { Queryable } from "../db/db.ts";
import { EXPORT_COLUMNS } from "./columns.ts";
import { BOM, type CsvDelimiter, neutralise, quoter } from "./csv.ts";
import { type Keyed, keysetBatches, SERVER_AHEAD, TagNames } from "./rows.ts";

/**
 * Rows per query for CSV. At a million rows 5,000 was no quicker than 2,500 and raised
 * the server's memory by 180 MB against 140 MB.
 */
export const CSV_BATCH_SIZE = 2_500;

/** Separates the fields of `line` below: a control character, which no contact field holds. */
const SEP = "\u001f";

/**
 * The export's CSV reads each contact as one pre-joined string, not as a dozen columns:
 * node is what bounds a CSV export, and parsing and keeping a string and a property per
 * cell was most of the time a row took there. PostgreSQL joins and converts (it has time
 * to spare meanwhile); checking and quoting stay here, where they cost one regular
 * expression a row. `line` holds, joined by SEP (NULL as empty):
 * - the id, first name … external id (API.md's columns 1–8);
 * - created, updated and last seen as the API writes them (ISO 8601 UTC), joined by the
 *   delimiter (no time holds one);
 * - the ids of its tags ("id id"), named here from the catalogue.
 */
export const csvSelect = (delimiter: CsvDelimiter) => `c.id,
  concat(c.id, E'\\x1f', c.first_name, E'\\x1f', c.last_name, E'\\x1f', c.email, E'\\x1f', c.phone, E'\\x1f',
         c.language, E'\\x1f', c.timezone, E'\\x1f', c.external_id, E'\\x1f',
         replace(replace(concat(c.created_at, '${delimiter}', c.updated_at, '${delimiter}', c.last_seen_at),
                         ' ', 'T'), '+00', 'Z'), E'\\x1f',
         array_to_string(c.tag_ids, ' ')) as line`;

interface CsvRow extends Keyed {
  line: string;
}

const TEXT_FIELDS = ["first_name", "last_name", "email", "phone", "language", "timezone", "external_id"] as const;
const PHONE_FIELD = 3;

/**
 * The id and text cells that the CSV holds exactly as stored: eight fields, none starting
 * with a formula character (but an E.164 phone in the phone field), none holding the
 * delimiter, a quote or a control character. Such a row is written by swapping SEP for
 * the delimiter; any other goes cell by cell.
 */
function plainText(delimiter: CsvDelimiter): RegExp {
  const field = `(?:[^\\u0000-\\u001f"${delimiter}=+\\-@][^\\u0000-\\u001f"${delimiter}]*)?`;
  const phone = `(?:\\+[1-9]\\d{6,14}|${field})`;
  const fields = TEXT_FIELDS.map((_, i) => (i === PHONE_FIELD ? phone : field));
  return new RegExp(`^[0-9a-f-]{36}${SEP}${fields.join(SEP)}$`);
}

/**
 * The contacts of a filter as CSV text, one chunk per batch (the BOM and header first),
 * cell for cell what `csvChunks` writes for EXPORT_COLUMNS.
 */
export async function* contactCsv(
  db: Queryable,
  workspaceId: string,
  filter: ContactFilter,
  sort: string,
  progress: { rows: number },
  delimiter: CsvDelimiter,
  batchSize = CSV_BATCH_SIZE,
): AsyncGenerator<string> {
  const quote = quoter(delimiter);
  const cell = (value: string | null, kind: "text" | "phone" = "text") =>
    value === null || value === "" ? "" : quote(neutralise(value, kind));
  const plain = plainText(delimiter);
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

  /** The text cells of a row that is not plain (`head`: id and text fields), cell by cell. */
  async function textCells(row: CsvRow, head: string): Promise<string | undefined> {
    let values: (string | null)[] = head.split(SEP).slice(1);
    if (values.length !== TEXT_FIELDS.length) {
      // A field holds SEP itself (only SQL written by hand can put it there): read it again.
      const [stored] = await db.query<Record<string, string | null>>(
        `select ${TEXT_FIELDS.join(", ")} from contacts where workspace_id = $1 and id = $2`,
        [workspaceId, row.id],
      );
      if (!stored) return undefined;
      values = TEXT_FIELDS.map((field) => stored[field] ?? null);
    }
    const cells = values.map((value, i) => cell(value, i === PHONE_FIELD ? "phone" : "text"));
    return `${row.id}${delimiter}${cells.join(delimiter)}`;
  }

  yield `${BOM}${EXPORT_COLUMNS.map((c) => quote(c.header)).join(delimiter)}\r\n`;
  const pages = keysetBatches<CsvRow>(
    db,
    workspaceId,
    filter,
    sort,
    progress,
    batchSize,
    csvSelect(delimiter),
    SERVER_AHEAD,
  );
  for await (const rows of pages) {
    const parts: string[] = [];
    let reloaded = false;
    for (const row of rows) {
      const { line } = row;
      const tagsAt = line.lastIndexOf(SEP);
      const timesAt = line.lastIndexOf(SEP, tagsAt - 1);
      const head = line.slice(0, timesAt);
      const text = plain.test(head) ? head.replaceAll(SEP, delimiter) : await textCells(row, head);
      // A contact deleted between the batch and that second read is left out.
      if (text === undefined) continue;
      const tagIds = line.slice(tagsAt + 1);
      if (!reloaded && tagIds !== "" && !tagCells.has(tagIds) && !tags.knows(tagIds)) {
        // A tag made since the export began: read the catalogue again, once per batch.
        await tags.load();
        tagCells = new Map();
        reloaded = true;
      }
      const times = line.slice(timesAt + 1, tagsAt);
      parts.push(
        text,
        delimiter,
        tagCell(tagIds),
        delimiter,
        times.includes("infinity") ? timeCells(times, delimiter) : times,
        "\r\n",
      );
    }
    yield parts.join("");
  }
}

/** Times that are ±infinity: "-infinity" starts like a formula. */
function timeCells(times: string, delimiter: CsvDelimiter) {
  return times
    .split(delimiter)
    .map((value) => (value === "" ? "" : neutralise(value, "text")))
    .join(delimiter);
}
