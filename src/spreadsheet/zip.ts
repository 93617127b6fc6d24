import { Readable } from "node:stream";
import yauzl from "yauzl";
import { UnreadableFile } from "./unreadable.ts";

/**
 * Reads a zip (an .xlsx is one) from a file read by offset, with yauzl: the central
 * directory at its end names the entries (ZIP64 included), and an entry is inflated as a
 * stream straight from its place in the file. Every entry's unpacked size counts against
 * one budget, checked on the sizes the directory declares and again while inflating (a
 * directory can lie; yauzl also stops an entry that inflates past its declared size), so
 * a zip bomb stops with a clear error instead of filling memory.
 */

/** A file read by offset (an upload kept in the database, say). */
export interface RandomAccessFile {
  size: number;
  /** `length` bytes from `offset` (fewer at the end of the file). */
  read(offset: number, length: number): Promise<Buffer>;
  /** The whole file from `offset` on, a piece at a time. */
  stream(offset?: number): AsyncGenerator<Buffer>;
}

/** A workbook has a few dozen parts; a directory of more is not a contact list. */
export const MAX_ENTRIES = 10_000;

const broken = (why: string) => new UnreadableFile(`The file is not a readable Excel workbook (.xlsx): ${why}.`);

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

/** `end - start` bytes of the file from `start`, a piece at a time. */
async function* range(file: RandomAccessFile, start: number, end: number): AsyncGenerator<Buffer> {
  let remaining = end - start;
  if (remaining <= 0) return;
  for await (const piece of file.stream(start)) {
    const part = piece.length > remaining ? piece.subarray(0, remaining) : piece;
    remaining -= part.length;
    yield part;
    if (remaining <= 0) return;
  }
}

/** yauzl's view of the file: ranges as streams, small reads (the directory, headers) at once. */
class FileReader extends yauzl.RandomAccessReader {
  constructor(private readonly file: RandomAccessFile) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return Readable.from(range(this.file, start, end), { objectMode: false });
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (err: Error | null) => void,
  ): void {
    this.file.read(position, length).then(
      (data) => {
        if (data.length < length) return callback(new Error("unexpected end of file"));
        data.copy(buffer, offset);
        callback(null);
      },
      (error: Error) => callback(error),
    );
  }
}

export interface ZipEntry {
  /** The entry's name as the zip spells it. */
  name: string;
  size: number;
  entry: yauzl.Entry;
}

/** An open zip: its entries by name (case-insensitive, as part names of a package are). */
export interface Zip {
  entries: Map<string, ZipEntry>;
  /** The entry named so, if there is one. */
  get(name: string): ZipEntry | undefined;
  /** The unpacked bytes of an entry, a piece at a time, counted against the budget. */
  read(entry: ZipEntry): AsyncGenerator<Buffer>;
  /** A small entry, whole (the workbook's list of sheets, say). */
  buffer(entry: ZipEntry): Promise<Buffer>;
}

export async function openZip(file: RandomAccessFile, unpackLimit: number): Promise<Zip> {
  const budget = new UnpackBudget(unpackLimit);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromRandomAccessReaderPromise(new FileReader(file), file.size, {
      lazyEntries: true,
      autoClose: false,
      validateEntrySizes: true,
    });
  } catch (error) {
    throw broken(`its zip directory is missing or damaged (a damaged or partial upload?): ${(error as Error).message}`);
  }
  const entries = new Map<string, ZipEntry>();
  let declared = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      if (entries.size >= MAX_ENTRIES) throw broken(`it has more than ${MAX_ENTRIES} parts`);
      if (entry.fileName.endsWith("/")) continue;
      declared += entry.uncompressedSize;
      entries.set(entry.fileName.toLowerCase(), { name: entry.fileName, size: entry.uncompressedSize, entry });
    }
  } catch (error) {
    if (error instanceof UnreadableFile) throw error;
    throw broken(`its zip directory is damaged (${(error as Error).message})`);
  }
  // What the directory declares is checked first: a bomb that says what it is stops here.
  if (declared > unpackLimit) budget.take(declared);

  async function* read({ name, entry }: ZipEntry): AsyncGenerator<Buffer> {
    if (entry.isEncrypted()) throw broken(`the part ${name} is encrypted (save the workbook without a password)`);
    if (!entry.canDecodeFileData()) throw broken(`the part ${name} uses an unknown compression`);
    let stream: Readable;
    try {
      stream = await zip.openReadStreamPromise(entry);
    } catch (error) {
      throw broken(`the part ${name} is damaged (${(error as Error).message})`);
    }
    try {
      for await (const piece of stream as AsyncIterable<Buffer>) {
        budget.take(piece.length);
        yield piece;
      }
    } catch (error) {
      if (error instanceof UnreadableFile) throw error;
      throw broken(`the part ${name} cannot be unpacked (${(error as Error).message})`);
    } finally {
      stream.destroy();
    }
  }

  async function buffer(entry: ZipEntry): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const piece of read(entry)) parts.push(piece);
    return Buffer.concat(parts);
  }

  return { entries, get: (name) => entries.get(name.toLowerCase()), read, buffer };
}
