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

/**
 * A time as the spreadsheet's date serial, computed by the database: the same double as
 * `excelSerial` of its ISO text (whole milliseconds since 1970 / 86,400,000 + 25,569),
 * written in the same shortest form. A time Excel cannot hold (before March 1900, or
 * infinite) comes as its ISO text instead. Reading ISO text and converting it in node took
 * a seventh of an xlsx export's time.
 */
const serial = (column: string) => `coalesce(
  case when ${column} >= '1900-03-01 00:00:00+00' and isfinite(${column})
    then (floor(round(date_part('epoch', ${column}) * 1000000) / 1000) / 86400000 + 25569)::text end,
  replace(replace(${column}::text, ' ', 'T'), '+00', 'Z'))`;

/** EXPORT_SELECT with the times as date serials (see `serial`): what the xlsx reads. */
export const EXPORT_SELECT_SERIALS = `c.id, c.first_name, c.last_name, c.email, c.phone, c.language, c.timezone,
  c.external_id, ${serial("c.created_at")} as created_at, ${serial("c.updated_at")} as updated_at,
  ${serial("c.last_seen_at")} as last_seen_at`;

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
