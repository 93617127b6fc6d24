import { API_BASE, queryString } from "../../../lib/api-client.ts";
import { type DownloadedFile, type DownloadProgress, fetchFile } from "../../../lib/download.ts";
import type { ContactFilters } from "./types.ts";

export const EXPORT_FORMATS = [
  { id: "xlsx", label: "Excel (.xlsx)" },
  { id: "csv-semicolon", label: "CSV (;)" },
  { id: "csv-comma", label: "CSV (,)" },
] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number]["id"];

/** What to export: the rows the user ticked, or everything the filters match. */
export type ExportScope = { ids: string[] } | { filters: ContactFilters };

export function exportUrl(format: ExportFormat, scope: ExportScope): string {
  const params =
    "ids" in scope
      ? { format, ids: scope.ids.join(",") }
      : {
          format,
          q: scope.filters.q.trim(),
          tag: scope.filters.tags,
          language: scope.filters.language,
          // Only when set, so an export without a channel filter asks exactly what it always did.
          channel: scope.filters.channel,
        };
  return `${API_BASE}/contacts/export${queryString(params)}`;
}

/** Streams an export with progress; the signal cancels it. */
export const downloadExport = (
  format: ExportFormat,
  scope: ExportScope,
  onProgress: (progress: DownloadProgress) => void,
  signal: AbortSignal,
): Promise<DownloadedFile> =>
  fetchFile(exportUrl(format, scope), {
    signal,
    onProgress,
    fallbackName: `contacts.${format === "xlsx" ? "xlsx" : "csv"}`,
  });
