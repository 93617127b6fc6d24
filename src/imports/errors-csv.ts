import type { Db } from "../db/db.ts";
import { BOM, quoter } from "../spreadsheet/csv-writer.ts";
import { neutralise } from "../spreadsheet/neutralise.ts";
import { type ImportRow, rejectedRows } from "./repository.ts";

/**
 * The rejected rows of an import as CSV, ready to fix and import again: the file's own
 * header and cells, plus an `Error` column. Written like our export (BOM, CRLF, formula
 * cells neutralised, which the import undoes), with the upload's delimiter.
 */
export async function* errorsCsv(db: Db, imp: ImportRow): AsyncGenerator<string> {
  const delimiter = imp.delimiter === ";" ? ";" : ",";
  const quote = quoter(delimiter);
  const columns = imp.columns ?? [];
  // Every column the import read as a phone (a file may have several) keeps its leading +.
  const mapping = imp.mapping ?? {};
  const kinds = columns.map((header) => (mapping[header] === "phone" ? "phone" : "text") as "phone" | "text");
  const cell = (value: string, kind: "phone" | "text") => (value === "" ? "" : quote(neutralise(value, kind)));
  yield `${BOM}${[...columns, "Error"].map((h) => cell(h, "text")).join(delimiter)}\r\n`;
  for await (const page of rejectedRows(db, imp.workspace_id, imp.id)) {
    const lines = page.map((row) => {
      const cells = row.cells.map((value, i) => cell(value, kinds[i] ?? "text"));
      while (cells.length < columns.length) cells.push("");
      return `${[...cells, cell(row.error, "text")].join(delimiter)}\r\n`;
    });
    yield lines.join("");
  }
}
