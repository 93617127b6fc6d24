import { Readable } from "node:stream";
import { CsvError, parse } from "csv-parse";
import { unneutralise } from "./neutralise.ts";
import { UnreadableFile } from "./unreadable.ts";

/** The encodings a CSV is read in (what `imports/detect.ts` tells apart). */
export type Encoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";
export type Delimiter = ";" | "," | "\t";

/** One row of a sheet: its number as a spreadsheet shows it (the header is row 1) and its cells. */
export interface SheetRow {
  row: number;
  cells: string[];
}

/** A cell longer than this makes the whole file unreadable rather than one row failed. */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

async function* decode(chunks: AsyncIterable<Buffer>, encoding: Encoding): AsyncGenerator<string> {
  // Strict UTF-8: a file that turns out not to be UTF-8 further down fails loudly instead
  // of importing replacement characters.
  const decoder = new TextDecoder(encoding, { fatal: encoding === "utf-8" });
  let offset = 0;
  for await (const chunk of chunks) {
    try {
      yield decoder.decode(chunk, { stream: true });
    } catch {
      throw new UnreadableFile(
        `The file is not valid ${encoding.toUpperCase()} after byte ${offset}: save it as UTF-8 and upload it again.`,
      );
    }
    offset += chunk.length;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * Parses CSV text a record at a time (RFC 4180: quoted delimiters, quotes and newlines).
 * Empty lines keep their number but yield no row. A cell our export neutralised (a `'`
 * before a formula character) is read as it was, so a round trip changes nothing.
 */
export async function* csvRows(
  chunks: AsyncIterable<Buffer>,
  encoding: Encoding,
  delimiter: Delimiter,
): AsyncGenerator<SheetRow> {
  const text = Readable.from(decode(chunks, encoding));
  const parser = text.pipe(
    parse({
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      max_record_size: MAX_RECORD_BYTES,
    }),
  );
  // pipe() does not pass a source's error on: an undecodable byte must end the parse.
  text.on("error", (error) => parser.destroy(error));
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      if (record.length === 1 && record[0] === "") continue;
      for (let i = 0; i < record.length; i++) record[i] = unneutralise(record[i] as string);
      yield { row, cells: record };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      // Records parsed before the error may not have reached us yet: the parser knows.
      const parsed = (error as CsvError & { records?: number }).records;
      throw new UnreadableFile(csvProblem(error, (typeof parsed === "number" ? parsed : row) + 1));
    }
    throw error;
  } finally {
    text.destroy();
    parser.destroy();
  }
}

function csvProblem(error: CsvError, row: number): string {
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return `Row ${row} opens a quote that is never closed, so the rest of the file cannot be read.`;
    case "CSV_MAX_RECORD_SIZE":
      return `Row ${row} is longer than ${MAX_RECORD_BYTES / 1024 / 1024} MB: this is not a contact list.`;
    default:
      return `The CSV cannot be read at row ${row}: ${error.message}`;
  }
}
