/** The contact fields a column can fill (API.md, "Import"). */
export const IMPORT_FIELDS = [
  "id",
  "name",
  "firstName",
  "lastName",
  "email",
  "phone",
  "language",
  "timezone",
  "externalId",
  "tags",
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export const IMPORT_FIELD_LABELS: Record<ImportField, string> = {
  id: "ID",
  name: "Full name (split into first and last)",
  firstName: "First name",
  lastName: "Last name",
  email: "Email",
  phone: "Phone",
  language: "Language",
  timezone: "Timezone",
  externalId: "External ID",
  tags: "Tags",
};

/** Fields several columns may fill: the first non-empty one wins (tags add up). */
export const MULTI_COLUMN_FIELDS: ReadonlySet<ImportField> = new Set(["name", "email", "phone", "tags"]);

export type Mapping = Record<string, ImportField | null>;

export interface Import {
  id: string;
  status: "analyzing" | "ready" | "running" | "finished" | "failed";
  error: string | null;
  fileName: string;
  size: number;
  format: "csv" | "xlsx" | "vcard" | null;
  delimiter: string | null;
  encoding: string | null;
  sheet: string | null;
  columns: string[];
  mapping: Mapping;
  preview: {
    row: number;
    values: string[];
    errors: { field: string; message: string }[];
    notes?: { column: string; message: string }[];
  }[];
  onDuplicate: "update" | "skip" | null;
  tags: string[];
  progress: { done: number; total: number | null };
  result: { created: number; updated: number; skipped: number; failed: number } | null;
}
