import { API_BASE, ApiError, queryString } from "../../../lib/api-client.ts";
import type { ContactFilters } from "./types.ts";

export const EXPORT_FORMATS = [
  { id: "xlsx", label: "Excel (.xlsx)" },
  { id: "csv-semicolon", label: "CSV (;)" },
  { id: "csv-comma", label: "CSV (,)" },
] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number]["id"];

/** What to export: the rows the user ticked, or everything the filters match. */
export type ExportScope = { ids: string[] } | { filters: ContactFilters };

export interface ExportProgress {
  bytes: number;
  /** From Content-Length, when the server knows it in advance (it streams, so usually not). */
  total: number | null;
}

export interface ExportedFile {
  blob: Blob;
  fileName: string;
}

export function exportUrl(format: ExportFormat, scope: ExportScope): string {
  const params =
    "ids" in scope
      ? { format, ids: scope.ids.join(",") }
      : { format, q: scope.filters.q.trim(), tag: scope.filters.tags, language: scope.filters.language };
  return `${API_BASE}/contacts/export${queryString(params)}`;
}

/** The file name from `Content-Disposition: attachment; filename="…"`. */
export function fileNameOf(disposition: string | null, format: ExportFormat): string {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? "");
  if (star?.[1]) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(disposition ?? "");
  return plain?.[1] ?? `contacts.${format === "xlsx" ? "xlsx" : "csv"}`;
}

/**
 * Downloads an export through fetch, reading the stream chunk by chunk so the page can
 * show how much has arrived and cancel it (the signal aborts the request mid-stream).
 */
export async function downloadExport(
  format: ExportFormat,
  scope: ExportScope,
  onProgress: (progress: ExportProgress) => void,
  signal: AbortSignal,
): Promise<ExportedFile> {
  const response = await fetch(exportUrl(format, scope), { signal, credentials: "same-origin" });
  if (!response.ok || !response.body) {
    const text = await response.text();
    let problem = { status: response.status, detail: text || response.statusText };
    try {
      problem = { ...JSON.parse(text), status: response.status };
    } catch {
      // Not problem+json: keep the text.
    }
    throw new ApiError(problem);
  }
  const length = Number(response.headers.get("content-length"));
  const total = Number.isFinite(length) && length > 0 ? length : null;
  const reader = response.body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let bytes = 0;
  onProgress({ bytes, total });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    bytes += value.byteLength;
    onProgress({ bytes, total });
  }
  const type = response.headers.get("content-type") ?? "application/octet-stream";
  return {
    blob: new Blob(chunks, { type }),
    fileName: fileNameOf(response.headers.get("content-disposition"), format),
  };
}

/** Hands a file to the browser's downloads, through a Blob URL freed right after. */
export function saveFile({ blob, fileName }: ExportedFile) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
