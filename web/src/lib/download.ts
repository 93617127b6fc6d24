import { ApiError, type Problem } from "./api-client.ts";

export interface DownloadProgress {
  bytes: number;
  /** From Content-Length, when the server knows it in advance (a streamed file usually does not). */
  total: number | null;
}

export interface DownloadedFile {
  blob: Blob;
  fileName: string;
}

/** The file name from `Content-Disposition: attachment; filename="…"`. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? "");
  if (star?.[1]) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(disposition ?? "");
  return plain?.[1] ?? fallback;
}

/**
 * Fetches a file, reading the stream chunk by chunk so the page can show how much has
 * arrived and cancel it (the signal aborts the request mid-stream).
 */
export async function fetchFile(
  url: string,
  options: { signal?: AbortSignal; onProgress?: (progress: DownloadProgress) => void; fallbackName: string },
): Promise<DownloadedFile> {
  const response = await fetch(url, { signal: options.signal, credentials: "same-origin" });
  if (!response.ok || !response.body) {
    const text = await response.text();
    let problem: Problem = { status: response.status, detail: text || response.statusText };
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
  options.onProgress?.({ bytes, total });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    bytes += value.byteLength;
    options.onProgress?.({ bytes, total });
  }
  const type = response.headers.get("content-type") ?? "application/octet-stream";
  return {
    blob: new Blob(chunks, { type }),
    fileName: fileNameOf(response.headers.get("content-disposition"), options.fallbackName),
  };
}

/** Hands a file to the browser's downloads, through a Blob URL freed right after. */
export function saveFile({ blob, fileName }: DownloadedFile) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
