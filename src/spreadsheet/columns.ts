/**
 * A column of a spreadsheet as the writers see it: a header, a kind that tells them how to
 * type and protect its cells, a width, and how to read its value from a row. The writers
 * know nothing about what the rows are, so any list of columns works.
 */
export interface Column<Row> {
  header: string;
  kind: CellKind;
  /** Width in characters, as spreadsheets measure it. */
  width: number;
  value(row: Row): string | null;
}

/**
 * `text` is written as text (never a number or formula); `phone` is text that may be an
 * E.164 number, which CSV keeps as stored; `date` holds an ISO 8601 UTC time (or an
 * Excel date serial already computed), which the xlsx writes as a date cell.
 */
export type CellKind = "text" | "phone" | "date";
