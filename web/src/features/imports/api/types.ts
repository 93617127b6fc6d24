import type { Schemas } from "../../../types/index.ts";

/** An import as the API returns it (generated from the server's schema). */
export type Import = Schemas["Import"];

/** The contact fields a column can fill (API.md, "Import"). */
export type ImportField = NonNullable<Import["mapping"][string]>;

export const IMPORT_FIELD_LABELS: Record<ImportField, string> = {
  id: "ID",
  firstName: "First name",
  lastName: "Last name",
  email: "Email",
  phone: "Phone",
  language: "Language",
  timezone: "Timezone",
  externalId: "External ID",
  tags: "Tags",
};

/** In the order the mapping offers them. */
export const IMPORT_FIELDS = Object.keys(IMPORT_FIELD_LABELS) as ImportField[];

export type Mapping = Record<string, ImportField | null>;
