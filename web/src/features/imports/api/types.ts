import type { Schemas } from "../../../types/index.ts";

/** An import as the API returns it (generated from the server's schema). */
export type Import = Schemas["Import"];

/** The contact fields a column can fill (API.md, "Import"). */
export type ImportField = NonNullable<Import["mapping"][string]>;

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
  identities: "Identities (channel:address, …)",
};

/** In the order the mapping offers them (every field the API knows has a label above). */
export const IMPORT_FIELDS = Object.keys(IMPORT_FIELD_LABELS) as ImportField[];

/** Fields several columns may fill: the first non-empty one wins (tags add up). */
export const MULTI_COLUMN_FIELDS: ReadonlySet<ImportField> = new Set(["name", "email", "phone", "tags"]);

export type Mapping = Record<string, ImportField | null>;
