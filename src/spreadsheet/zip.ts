import { Readable } from "node:stream";
import { createInflateRaw } from "node:zlib";
import { UnreadableFile } from "./unreadable.ts";

/** A file read by offset (an upload kept in the database, say). */
export interface RandomAccessFile {
  size: number;
  /** `length` bytes from `offset` (fewer at the end of the file). */
  read(offset: number, length: number): Promise<Buffer>;
  /** The whole file from `offset` on, a piece at a time. */
  stream(offset?: number): AsyncGenerator<Buffer>;
}

/**
 * Reads a zip (an .xlsx is one) from a stored file: the central directory at its end names
 * the entries, and an entry is inflated as a stream straight from its place in the file.
 * Every entry's unpacked size counts against one budget, checked while inflating too (a
 * directory can lie), so a zip bomb stops with a clear error instead of filling memory.
 */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  headerOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const broken = (why: string) => new UnreadableFile(`The file is not a readable Excel workbook (.xlsx): ${why}.`);

export async function readDirectory(file: RandomAccessFile): Promise<Map<string, ZipEntry>> {
  const tailLength = Math.min(file.size, 65_557);
  const tail = await file.read(file.size - tailLength, tailLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) throw broken("its zip directory is missing (a damaged or partial upload?)");
  const count = tail.readUInt16LE(at + 10);
  const length = tail.readUInt32LE(at + 12);
  const offset = tail.readUInt32LE(at + 16);
  if (offset === 0xffffffff || offset + length > file.size) throw broken("its zip directory is damaged");
  const directory = await file.read(offset, length);
  const entries = new Map<string, ZipEntry>();
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > directory.length || directory.readUInt32LE(p) !== CENTRAL)
      throw broken("its zip directory is damaged");
    const nameLength = directory.readUInt16LE(p + 28);
    const entry: ZipEntry = {
      method: directory.readUInt16LE(p + 10),
      compressedSize: directory.readUInt32LE(p + 20),
      size: directory.readUInt32LE(p + 24),
      headerOffset: directory.readUInt32LE(p + 42),
      name: directory.toString("utf8", p + 46, p + 46 + nameLength),
    };
    if (entry.size === 0xffffffff || entry.compressedSize === 0xffffffff) throw broken("it is larger than 4 GB");
    entries.set(entry.name.replace(/^\//, ""), entry);
    p += 46 + nameLength + directory.readUInt16LE(p + 30) + directory.readUInt16LE(p + 32);
  }
  return entries;
}

/** Counts unpacked bytes across all the entries read from one workbook. */
export class UnpackBudget {
  private used = 0;
  constructor(readonly limit: number) {}
  take(bytes: number) {
    this.used += bytes;
    if (this.used > this.limit) {
      throw new UnreadableFile(
        `The workbook unpacks to more than ${Math.round(this.limit / 1024 / 1024)} MB, which no contact list needs (a zip bomb?).`,
      );
    }
  }
}

/** The unpacked bytes of one entry, a piece at a time. */
export async function* readEntry(
  file: RandomAccessFile,
  entry: ZipEntry,
  budget: UnpackBudget,
): AsyncGenerator<Buffer> {
  const header = await file.read(entry.headerOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL) throw broken(`the entry ${entry.name} is damaged`);
  const start = entry.headerOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const end = start + entry.compressedSize;
  if (end > file.size) throw broken(`the entry ${entry.name} is cut off`);
  if (entry.method !== 0 && entry.method !== 8) throw broken(`the entry ${entry.name} uses an unknown compression`);
  let remaining = entry.compressedSize;
  async function* compressed() {
    for await (const piece of file.stream(start)) {
      const part = piece.length > remaining ? piece.subarray(0, remaining) : piece;
      remaining -= part.length;
      yield part;
      if (remaining <= 0) return;
    }
  }
  if (entry.method === 0) {
    for await (const piece of compressed()) {
      budget.take(piece.length);
      yield piece;
    }
    return;
  }
  const source = Readable.from(compressed());
  const inflate = source.pipe(createInflateRaw({ chunkSize: 256 * 1024 }));
  source.on("error", (error) => inflate.destroy(error));
  try {
    for await (const piece of inflate as AsyncIterable<Buffer>) {
      budget.take(piece.length);
      yield piece;
    }
  } catch (error) {
    if (error instanceof UnreadableFile) throw error;
    throw broken(`the entry ${entry.name} cannot be unpacked (${(error as Error).message})`);
  } finally {
    source.destroy();
    inflate.destroy();
  }
}

/** A small entry, whole (the workbook's list of sheets, say). */
export async function readSmallEntry(file: RandomAccessFile, entry: ZipEntry, budget: UnpackBudget): Promise<string> {
  const parts: Buffer[] = [];
  for await (const piece of readEntry(file, entry, budget)) parts.push(piece);
  return Buffer.concat(parts).toString("utf8");
}
