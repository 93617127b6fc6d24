import { API_BASE } from "../../../lib/api-client.ts";
import { fetchFile } from "../../../lib/download.ts";

/** An empty file with the export's columns, to fill in and import (`GET /imports/template`). */
export const fetchImportTemplate = (format: string) =>
  fetchFile(`${API_BASE}/imports/template?format=${format}`, { fallbackName: "contacts-template" });

/** The rows of an import that failed, with an Error column (`GET /imports/:id/errors`). */
export const fetchImportErrors = (id: string) =>
  fetchFile(`${API_BASE}/imports/${encodeURIComponent(id)}/errors`, { fallbackName: "import-errors.csv" });
