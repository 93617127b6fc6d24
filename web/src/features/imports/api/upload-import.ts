import { API_BASE, ApiError, type Problem } from "../../../lib/api-client.ts";
import type { Import } from "./types.ts";

/**
 * Uploads a file for import. XMLHttpRequest rather than fetch, because only it reports
 * upload progress; the signal cancels the upload.
 */
export function uploadImport(file: File, onProgress: (sent: number, total: number) => void, signal: AbortSignal) {
  return new Promise<Import>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${API_BASE}/imports`);
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // Not JSON: a proxy answered.
      }
      if (xhr.status === 202) resolve(body as Import);
      else reject(new ApiError({ ...(body as Problem), status: xhr.status }));
    };
    xhr.onerror = () => reject(new TypeError("The upload failed: the server could not be reached."));
    xhr.onabort = () => reject(new DOMException("The upload was cancelled.", "AbortError"));
    signal.addEventListener("abort", () => xhr.abort());
    const form = new FormData();
    form.append("file", file);
    xhr.send(form);
  });
}
