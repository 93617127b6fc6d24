import type { ExportColumn } from "./columns.ts";

export type CsvDelimiter = ";" | ",";

/** Excel reads a file as UTF-8 only when it starts with the byte order mark. */
export const BOM = "\uFEFF";

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * OWASP "CSV injection": a cell starting with = + - @, a tab or a carriage return may be
 * run as a formula when the file is opened, so it gets a leading `'`, which spreadsheets
 * show as text. A phone in E.164 ("+31612345678") is a number no spreadsheet evaluates
 * as a formula, and people reconcile on it, so it stays exactly as stored.
 */
export function neutralise(value: string, kind: ExportColumn<unknown>["kind"]): string {
  const first = value.charCodeAt(0);
  // = + - @ \t \r
  if (first !== 61 && first !== 43 && first !== 45 && first !== 64 && first !== 9 && first !== 13) return value;
  if (kind === "phone" && E164.test(value)) return value;
  return `'${value}`;
}

/** RFC 4180: a field is quoted only when it holds the delimiter, a quote, CR or LF. */
export function quoter(delimiter: CsvDelimiter) {
  const special = delimiter === ";" ? /[;"\r\n]/ : /[,"\r\n]/;
  return (value: string) => (special.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
}

/** One CSV record, CRLF included: neutralise, then quote, as two named steps. */
export function csvRecord<Row>(
  columns: ExportColumn<Row>[],
  row: Row,
  delimiter: CsvDelimiter,
  quote: (value: string) => string,
): string {
  let line = "";
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i] as ExportColumn<Row>;
    const value = column.value(row);
    if (i > 0) line += delimiter;
    if (value !== null && value !== "") line += quote(neutralise(value, column.kind));
  }
  return `${line}\r\n`;
}

/**
 * The CSV text of an export, one chunk per batch of rows: the BOM and header first.
 * Each chunk is joined from an array into one flat string; a chunk grown with `+=` is a
 * rope that costs several times more to write out.
 */
export async function* csvChunks<Row>(
  columns: ExportColumn<Row>[],
  batches: AsyncIterable<Row[]>,
  delimiter: CsvDelimiter,
): AsyncGenerator<string> {
  const quote = quoter(delimiter);
  yield `${BOM}${columns.map((c) => quote(c.header)).join(delimiter)}\r\n`;
  for await (const rows of batches) {
    const lines = new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) lines[i] = csvRecord(columns, rows[i] as Row, delimiter, quote);
    yield lines.join("");
  }
}
