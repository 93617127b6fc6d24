import type { ContactFilter } from "../contacts/query.ts";
import type { Queryable } from "../db/db.ts";
import { EXPORT_COLUMNS } from "./columns.ts";
import { BOM, type CsvDelimiter, neutralise, quoter } from "./csv.ts";
import { type Keyed, keysetBatches, TAG_IDS_COLUMN, TagNames } from "./rows.ts";

/**
 * Rows per query for CSV. At a million rows 5,000 was no quicker than 2,500 and raised
 * the server's memory by 180 MB against 140 MB.
 */
export const CSV_BATCH_SIZE = 2_500;

/** Separates the cells of `text` below: a control character, which no contact field holds. */
const SEP = "\u001f";

/**
 * The export's CSV reads each contact as a few pre-joined strings, not as a dozen
 * columns: parsing and keeping a string and a property per cell was most of the time a
 * row took in node. PostgreSQL only concatenates (cheap); checking, quoting and
 * converting stay here, where they cost one regular expression a row.
 *
 * - `text`: first name … external id (API.md's columns 2–8), joined by SEP, NULL as empty.
 * - `times`: created, updated and last seen in PostgreSQL's UTC text form, joined by the
 *   delimiter (no time holds one).
 * - `tag_ids`: the ids of its tags, named here from the catalogue.
 */
export const csvSelect = (delimiter: CsvDelimiter) => `c.id,
  concat(c.first_name, E'\\x1f', c.last_name, E'\\x1f', c.email, E'\\x1f', c.phone, E'\\x1f',
         c.language, E'\\x1f', c.timezone, E'\\x1f', c.external_id) as text,
  concat(c.created_at, '${delimiter}', c.updated_at, '${delimiter}', c.last_seen_at) as times,
  ${TAG_IDS_COLUMN}`;

interface CsvRow extends Keyed {
  text: string;
  times: string;
  tag_ids: string;
}

const TEXT_FIELDS = ["first_name", "last_name", "email", "phone", "language", "timezone", "external_id"] as const;
const PHONE_FIELD = 3;

/**
 * The joined text cells that the CSV holds exactly as stored: seven fields, none starting
 * with a formula character (but an E.164 phone in the phone field), none holding the
 * delimiter, a quote or a control character. Such a row is written by swapping SEP for
 * the delimiter; any other goes cell by cell.
 */
function plainText(delimiter: CsvDelimiter): RegExp {
  const field = `(?:[^\\u0000-\\u001f"${delimiter}=+\\-@][^\\u0000-\\u001f"${delimiter}]*)?`;
  const phone = `(?:\\+[1-9]\\d{6,14}|${field})`;
  const fields = TEXT_FIELDS.map((_, i) => (i === PHONE_FIELD ? phone : field));
  return new RegExp(`^${fields.join(SEP)}$`);
}

/**
 * "2026-11-25 13:09:17.123456+00" → "2026-11-25T13:09:17.123456Z", as the API writes times.
 * The session's time zone is UTC, and a time's text holds no other space or "+00".
 */
const isoTimes = (times: string) => times.replaceAll(" ", "T").replaceAll("+00", "Z");

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

  /** The text cells of a row that is not plain, cell by cell. */
  async function textCells(row: CsvRow): Promise<string | undefined> {
    let values: (string | null)[] = row.text.split(SEP);
    if (values.length !== TEXT_FIELDS.length) {
      // A field holds SEP itself (only SQL written by hand can put it there): read it again.
      const [stored] = await db.query<Record<string, string | null>>(
        `select ${TEXT_FIELDS.join(", ")} from contacts where workspace_id = $1 and id = $2`,
        [workspaceId, row.id],
      );
      if (!stored) return undefined;
      values = TEXT_FIELDS.map((field) => stored[field] ?? null);
    }
    return values.map((value, i) => cell(value, i === PHONE_FIELD ? "phone" : "text")).join(delimiter);
  }

  yield `${BOM}${EXPORT_COLUMNS.map((c) => quote(c.header)).join(delimiter)}\r\n`;
  const pages = keysetBatches<CsvRow>(db, workspaceId, filter, sort, progress, batchSize, csvSelect(delimiter));
  for await (const rows of pages) {
    if (rows.some((row) => row.tag_ids !== "" && !tagCells.has(row.tag_ids) && !tags.knows(row.tag_ids))) {
      await tags.load();
      tagCells = new Map();
    }
    const parts: string[] = [];
    for (const row of rows) {
      const text = plain.test(row.text) ? row.text.replaceAll(SEP, delimiter) : await textCells(row);
      // A contact deleted between the batch and that second read is left out.
      if (text === undefined) continue;
      const times = isoTimes(row.times);
      parts.push(
        row.id,
        delimiter,
        text,
        delimiter,
        tagCell(row.tag_ids),
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
