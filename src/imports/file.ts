import type { Queryable } from "../db/db.ts";

/** Pieces of an uploaded file in the database; every piece but the last is exactly this long. */
export const CHUNK_BYTES = 256 * 1024;

/** An uploaded file, read from the database a piece at a time. */
export interface StoredFile {
  size: number;
  /** `length` bytes from `offset` (fewer at the end of the file). */
  read(offset: number, length: number): Promise<Buffer>;
  /** The whole file from `offset` on, a piece at a time. */
  stream(offset?: number): AsyncGenerator<Buffer>;
}

export function storedFile(db: Queryable, workspaceId: string, importId: string, size: number): StoredFile {
  const chunk = async (no: number) => {
    const [row] = await db.query<{ data: Uint8Array }>(
      "select data from import_chunks where workspace_id = $1 and import_id = $2 and chunk_no = $3",
      [workspaceId, importId, no],
    );
    if (!row) throw new Error(`piece ${no} of the uploaded file is missing`);
    return Buffer.from(row.data.buffer, row.data.byteOffset, row.data.byteLength);
  };
  async function read(offset: number, length: number): Promise<Buffer> {
    const end = Math.min(size, offset + length);
    const parts: Buffer[] = [];
    for (let at = offset; at < end; ) {
      const no = Math.floor(at / CHUNK_BYTES);
      const data = await chunk(no);
      const from = at - no * CHUNK_BYTES;
      const to = Math.min(data.length, end - no * CHUNK_BYTES);
      parts.push(data.subarray(from, to));
      at += to - from;
    }
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  }
  async function* stream(offset = 0): AsyncGenerator<Buffer> {
    for (let at = offset; at < size; ) {
      const no = Math.floor(at / CHUNK_BYTES);
      const data = (await chunk(no)).subarray(at - no * CHUNK_BYTES);
      yield data;
      at += data.length;
    }
  }
  return { size, read, stream };
}

/**
 * Collects an upload into CHUNK_BYTES pieces and hands each to `save` as it fills, so the
 * whole file never sits in memory. Throws TooLarge as soon as the upload passes `maxBytes`.
 */
export async function saveUpload(
  body: AsyncIterable<Buffer>,
  maxBytes: number,
  save: (no: number, data: Buffer) => Promise<void>,
): Promise<number> {
  let size = 0;
  let no = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async (bytes: number) => {
    const all = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, pendingBytes);
    await save(no++, all.subarray(0, bytes));
    const rest = all.subarray(bytes);
    pending = rest.length ? [Buffer.from(rest)] : [];
    pendingBytes = rest.length;
  };
  for await (const piece of body) {
    size += piece.length;
    if (size > maxBytes) throw new TooLarge(maxBytes);
    pending.push(piece);
    pendingBytes += piece.length;
    while (pendingBytes >= CHUNK_BYTES) await flush(CHUNK_BYTES);
  }
  if (pendingBytes > 0) await flush(pendingBytes);
  return size;
}

export class TooLarge extends Error {
  constructor(readonly limit: number) {
    super(`The file is larger than the limit of ${formatBytes(limit)}.`);
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}
