/**
 * What an export writes, as data: each column has a header, a kind that tells the
 * writers how to type and protect its cells, a width for spreadsheets, and how to read
 * its value from a row. The CSV and XLSX writers know nothing about contacts, so a
 * custom field becomes one more entry after the fixed ones.
 */
export interface ExportColumn<Row> {
  header: string;
  /**
   * `text` is written as text (never a number or formula); `phone` is text that may be
   * an E.164 number, which CSV keeps as stored; `date` holds an ISO 8601 UTC time.
   */
  kind: "text" | "phone" | "date";
  /** Width in characters, as spreadsheets measure it. */
  width: number;
  value(row: Row): string | null;
}

/** A contact as the export reads it: only the columns it writes, its tags joined with ", ". */
export interface ExportRow {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  language: string | null;
  timezone: string | null;
  external_id: string | null;
  tags: string | null;
  created_at: string;
  updated_at: string;
  last_seen_at: string | null;
}

/**
 * The select list behind `ExportRow`, but for `tags`: the row's tag ids are read beside it
 * (`TAG_IDS_COLUMN` in rows.ts) and named from the tag catalogue.
 */
export const EXPORT_SELECT = `c.id, c.first_name, c.last_name, c.email, c.phone, c.language, c.timezone,
  c.external_id, c.created_at, c.updated_at, c.last_seen_at`;

/** The columns of API.md's "Export" section, in its order and with its headers. */
export const EXPORT_COLUMNS: ExportColumn<ExportRow>[] = [
  { header: "ID", kind: "text", width: 38, value: (r) => r.id },
  { header: "First name", kind: "text", width: 18, value: (r) => r.first_name },
  { header: "Last name", kind: "text", width: 20, value: (r) => r.last_name },
  { header: "Email", kind: "text", width: 32, value: (r) => r.email },
  { header: "Phone", kind: "phone", width: 17, value: (r) => r.phone },
  { header: "Language", kind: "text", width: 10, value: (r) => r.language },
  { header: "Timezone", kind: "text", width: 22, value: (r) => r.timezone },
  { header: "External ID", kind: "text", width: 18, value: (r) => r.external_id },
  { header: "Tags", kind: "text", width: 24, value: (r) => r.tags },
  { header: "Created at", kind: "date", width: 20, value: (r) => r.created_at },
  { header: "Updated at", kind: "date", width: 20, value: (r) => r.updated_at },
  { header: "Last seen at", kind: "date", width: 20, value: (r) => r.last_seen_at },
];
