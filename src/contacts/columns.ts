import type { CellKind, Column } from "../spreadsheet/columns.ts";

/**
 * A contact as the columns of a spreadsheet: what the export writes, in API.md's order and
 * with its headers, and what the import's template holds. Exports and imports both work
 * from this list, and the writers take any list, so a later kind of column (the contact's
 * channel identities, one column per custom field) is one more entry after the fixed ones.
 */
export interface ContactColumn {
  header: string;
  /** The contact's field as the API names it; also the key of the column's value in a row read for it. */
  field: string;
  /**
   * `text` is stored text; `phone` is text that may be an E.164 number (CSV keeps it as
   * stored); `tags` is the contact's tag ids, written as their names joined with ", ";
   * `time` is a timestamptz, written as ISO 8601 UTC (CSV) or a date cell (xlsx).
   */
  type: "text" | "phone" | "tags" | "time";
  /** What reads it from `contacts c`: a text, a timestamptz, or (for `tags`) an array of tag ids. */
  sql: string;
  /** Width in characters, as spreadsheets measure it. */
  width: number;
}

/** The columns of API.md's "Export" section, in its order and with its headers. */
export const FIXED_COLUMNS: readonly ContactColumn[] = [
  { header: "ID", field: "id", type: "text", sql: "c.id", width: 38 },
  { header: "First name", field: "firstName", type: "text", sql: "c.first_name", width: 18 },
  { header: "Last name", field: "lastName", type: "text", sql: "c.last_name", width: 20 },
  { header: "Email", field: "email", type: "text", sql: "c.email", width: 32 },
  { header: "Phone", field: "phone", type: "phone", sql: "c.phone", width: 17 },
  { header: "Language", field: "language", type: "text", sql: "c.language", width: 10 },
  { header: "Timezone", field: "timezone", type: "text", sql: "c.timezone", width: 22 },
  { header: "External ID", field: "externalId", type: "text", sql: "c.external_id", width: 18 },
  { header: "Tags", field: "tags", type: "tags", sql: "c.tag_ids", width: 24 },
  { header: "Created at", field: "createdAt", type: "time", sql: "c.created_at", width: 20 },
  { header: "Updated at", field: "updatedAt", type: "time", sql: "c.updated_at", width: 20 },
  { header: "Last seen at", field: "lastSeenAt", type: "time", sql: "c.last_seen_at", width: 20 },
  {
    header: "Identities",
    field: "identities",
    type: "text",
    sql: `(select string_agg(i.channel || ':' || i.address, ', ' order by i.channel, i.address)
      from contact_identities i where i.workspace_id = c.workspace_id and i.contact_id = c.id)`,
    width: 36,
  },
];

/**
 * The columns of a workspace's contacts. Today the fixed ones; columns that depend on the
 * workspace (custom fields) will be appended here, so every export and template follows.
 */
export function contactColumns(): ContactColumn[] {
  return [...FIXED_COLUMNS];
}

/** A contact as a spreadsheet row: each column's cell text (tags named and joined), by field. */
export type ContactCells = Record<string, string | null>;

const KINDS: Record<ContactColumn["type"], CellKind> = { text: "text", phone: "phone", tags: "text", time: "date" };

/** The columns as the spreadsheet writers take them. */
export function sheetColumns(columns: readonly ContactColumn[]): Column<ContactCells>[] {
  return columns.map(({ header, field, type, width }) => ({
    header,
    kind: KINDS[type],
    width,
    value: (row) => row[field] ?? null,
  }));
}
