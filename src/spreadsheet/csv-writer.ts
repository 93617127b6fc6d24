import type { Column } from "./columns.ts";
import { neutralise } from "./neutralise.ts";

export type CsvDelimiter = ";" | ",";

/** Excel reads a file as UTF-8 only when it starts with the byte order mark. */
export const BOM = "\uFEFF";

/** RFC 4180: a field is quoted only when it holds the delimiter, a quote, CR or LF. */
export function quoter(delimiter: CsvDelimiter) {
  const special = delimiter === ";" ? /[;"\r\n]/ : /[,"\r\n]/;
  return (value: string) => (special.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
}

/**
 * The CSV text of a sheet, one chunk per batch of rows: the BOM and header first.
 * A chunk is gathered as an array of pieces and joined once into a flat string: building
 * it with `+=` leaves a rope of small strings that costs several times more to write out,
 * and the garbage of a string per cell and per row was a third of the time.
 */
export async function* csvChunks<Row>(
  columns: Column<Row>[],
  batches: AsyncIterable<Row[]>,
  delimiter: CsvDelimiter,
): AsyncGenerator<string> {
  const quote = quoter(delimiter);
  yield `${BOM}${columns.map((c) => quote(c.header)).join(delimiter)}\r\n`;
  for await (const rows of batches) {
    const parts: string[] = [];
    for (const row of rows) {
      for (let i = 0; i < columns.length; i++) {
        const column = columns[i] as Column<Row>;
        const value = column.value(row);
        // Neutralise, then quote: two named steps.
        if (value !== null && value !== "") parts.push(quote(neutralise(value, column.kind)));
        parts.push(i === columns.length - 1 ? "\r\n" : delimiter);
      }
    }
    yield parts.join("");
  }
}
