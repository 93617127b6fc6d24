import { SaxesParser, type SaxesTagPlain } from "saxes";
import type { SheetRow } from "./csv-reader.ts";
import { UnreadableFile } from "./unreadable.ts";
import { openZip, type RandomAccessFile, type Zip, type ZipEntry } from "./zip.ts";

/**
 * Reads the rows of one sheet of an .xlsx (Office Open XML) as text. The zip is read with
 * yauzl, every part with a streaming XML parser (saxes), so a sheet's XML is never held
 * whole: only the shared strings (which Excel keeps in one part) and the cell styles are
 * held in memory. Elements are matched by their local name, whatever their prefix
 * (`<x:row>`, as .NET writers emit), and the parser reads either kind of attribute
 * quote. A formula cell gives its last computed value, never the formula; a phonetic
 * guide (`<rPh>`, the reading of a Japanese name) is left out of the text; a number in a
 * date format is read as an ISO 8601 date, in the workbook's date system (1900 or 1904).
 */
export interface Workbook {
  sheets: string[];
  rows(sheet: string): AsyncGenerator<SheetRow>;
}

const notWorkbook = (why: string) => new UnreadableFile(`The file is not an Excel workbook (.xlsx): ${why}.`);

/** A row whose cells hold more text than this is not a contact. */
const MAX_ROW_CHARS = 64 * 1024 * 1024;

/** Excel's own `_xHHHH_` escapes of characters XML cannot carry (XML entities are the parser's). */
export function unescapeExcel(text: string): string {
  if (!text.includes("_x")) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** `x:row` → `row`. */
const local = (name: string) => {
  const colon = name.indexOf(":");
  return colon < 0 ? name : name.slice(colon + 1);
};

/** An attribute; SpreadsheetML's own are unqualified, whatever the elements' prefix. */
const attribute = (tag: SaxesTagPlain, name: string): string | undefined => tag.attributes[name];

/** An attribute by its local name under any prefix (`r:id`, `ns1:id`): the relationship ids. */
function prefixedAttribute(tag: SaxesTagPlain, name: string): string | undefined {
  for (const key in tag.attributes) {
    const colon = key.indexOf(":");
    if (colon >= 0 && key.slice(colon + 1) === name && key.slice(0, colon) !== "xmlns") return tag.attributes[key];
  }
  return undefined;
}

/** Text of an XML part, in the encoding its byte order mark names (UTF-8 without one). */
async function* decode(pieces: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  for await (const piece of pieces) {
    if (!decoder) {
      const encoding =
        piece[0] === 0xff && piece[1] === 0xfe
          ? "utf-16le"
          : piece[0] === 0xfe && piece[1] === 0xff
            ? "utf-16be"
            : "utf-8";
      decoder = new TextDecoder(encoding);
    }
    yield decoder.decode(piece, { stream: true });
  }
  const rest = decoder?.decode();
  if (rest) yield rest;
}

interface Handlers {
  open(name: string, tag: SaxesTagPlain): void;
  close?(name: string): void;
  text?(text: string): void;
}

/**
 * Streams a part through the XML parser. After each piece, what the handlers completed is
 * in `ready`, handed out and cleared, so a large sheet passes through a piece at a time.
 */
async function* parsePart<T>(
  zip: Zip,
  entry: ZipEntry,
  handlers: Handlers,
  ready: T[] = [],
): AsyncGenerator<T, void, undefined> {
  const parser = new SaxesParser<{ xmlns: false; position: false }>({ xmlns: false, position: false });
  parser.on("opentag", (tag) => handlers.open(local(tag.name), tag));
  const { close, text } = handlers;
  if (close) parser.on("closetag", (tag) => close(local(tag.name)));
  if (text) {
    parser.on("text", text);
    parser.on("cdata", text);
  }
  for await (const piece of decode(zip.read(entry))) {
    try {
      parser.write(piece);
    } catch (error) {
      if (error instanceof UnreadableFile) throw error;
      throw notWorkbook(`its part ${entry.name} is not valid XML (${(error as Error).message})`);
    }
    if (ready.length) {
      yield* ready;
      ready.length = 0;
    }
  }
  try {
    parser.close();
  } catch (error) {
    throw notWorkbook(`its part ${entry.name} is not valid XML (${(error as Error).message})`);
  }
  yield* ready;
}

/** Parses a small part whole, for its handlers' side effects. */
async function readPart(zip: Zip, entry: ZipEntry, handlers: Handlers): Promise<void> {
  for await (const _ of parsePart(zip, entry, handlers));
}

/** `target` (a relationship's) as a part name, from the part `base` that holds it. */
function resolvePath(base: string, target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const parts = base.split("/").slice(0, -1);
  for (const part of target.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== "." && part !== "") parts.push(part);
  }
  return parts.join("/");
}

/** The relationships part of `part`: `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`. */
function relsPath(part: string): string {
  const slash = part.lastIndexOf("/");
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

interface Relationship {
  target: string;
  type: string;
}

async function relationships(zip: Zip, part: string): Promise<Map<string, Relationship>> {
  const found = new Map<string, Relationship>();
  const entry = zip.get(relsPath(part));
  if (!entry) return found;
  await readPart(zip, entry, {
    open(name, tag) {
      if (name !== "Relationship" || attribute(tag, "TargetMode") === "External") return;
      const id = attribute(tag, "Id");
      const target = attribute(tag, "Target");
      if (id && target) found.set(id, { target: resolvePath(part, target), type: attribute(tag, "Type") ?? "" });
    },
  });
  return found;
}

/** "B" → 1, "AA" → 26 (the letters of a reference such as "AA12"). */
function columnIndex(ref: string): number {
  let index = 0;
  for (let i = 0; i < ref.length; i++) {
    const code = ref.charCodeAt(i) & ~32; // upper case
    if (code < 65 || code > 90) break;
    index = index * 26 + (code - 64);
  }
  return index - 1;
}

/** Excel writes large integers as doubles ("3.1612345678E+10"); show them as digits. */
function numberText(value: string): string {
  if (!/[eE]/.test(value)) return value;
  const number = Number(value);
  return Number.isFinite(number) && Number.isInteger(number) ? BigInt(number).toString() : value;
}

/** What a number format shows of a date serial: nothing (a number), the date, the time, or both. */
type DateKind = "date" | "time" | "datetime" | undefined;

/** The built-in formats (ECMA-376 18.8.30, and the East Asian ones) that show dates or times. */
function builtinDateKind(id: number): DateKind {
  if ((id >= 14 && id <= 17) || (id >= 27 && id <= 36) || (id >= 50 && id <= 58)) return "date";
  if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47)) return "time";
  if (id === 22) return "datetime";
  return undefined;
}

/** A format code's date kind: its tokens once quoted text, escapes, padding and [colours] are left out. */
export function formatDateKind(code: string): DateKind {
  const tokens = code
    .split(";")[0]
    ?.replace(/"[^"]*"|\\.|[_*]./g, "")
    .replace(/\[(h+|m+|s+)\]/gi, "$1")
    .replace(/\[[^\]]*\]/g, "");
  if (!tokens || /^general$/i.test(tokens.trim())) return undefined;
  const time = /[hs]/i.test(tokens) || /AM\/PM|A\/P/i.test(tokens);
  const date = /[dy]/i.test(tokens) || (!time && /m/i.test(tokens));
  if (date && time) return "datetime";
  return date ? "date" : time ? "time" : undefined;
}

const MS_PER_DAY = 86_400_000;
/** Days from the 1900 system's day 0 (1899-12-30, as Excel counts) to 1970-01-01. */
const UNIX_EPOCH_SERIAL = 25_569;
/** Days between the two systems' day 0: 1904-01-01 is day 1462 of the 1900 system. */
const DAYS_1904 = 1_462;
/** 9999-12-31, the last day Excel has. */
const MAX_SERIAL = 2_958_466;

/**
 * A date serial as ISO 8601 text, as its format shows it: `2026-03-04`, `05:06:07`, or
 * `2026-03-04T05:06:07Z` (milliseconds when there are any). Excel's 1900 system counts a
 * 29 February 1900 that never was, so its serials before 60 are a day early.
 */
export function serialText(serial: number, kind: Exclude<DateKind, undefined>, date1904: boolean): string | undefined {
  if (!Number.isFinite(serial) || serial < 0 || serial >= MAX_SERIAL) return undefined;
  const days = date1904 ? serial + DAYS_1904 : serial < 60 ? serial + 1 : serial;
  const ms = Math.round((days - UNIX_EPOCH_SERIAL) * MS_PER_DAY);
  const iso = new Date(ms).toISOString();
  if (kind === "date") return iso.slice(0, 10);
  if (kind === "time" && serial < 1) return iso.slice(11, 19);
  return iso.endsWith(".000Z") ? `${iso.slice(0, 19)}Z` : iso;
}

/** The date kind of each cell style (`s="3"` → cellXfs[3]) that shows dates. */
async function dateStyles(zip: Zip, entry: ZipEntry | undefined): Promise<DateKind[]> {
  const kinds: DateKind[] = [];
  if (!entry) return kinds;
  const custom = new Map<number, string>();
  const formats: number[] = [];
  let inCellXfs = false;
  await readPart(zip, entry, {
    open(name, tag) {
      if (name === "numFmt") custom.set(Number(attribute(tag, "numFmtId")), attribute(tag, "formatCode") ?? "");
      else if (name === "cellXfs") inCellXfs = !tag.isSelfClosing;
      else if (name === "xf" && inCellXfs) formats.push(Number(attribute(tag, "numFmtId") ?? 0));
    },
    close(name) {
      if (name === "cellXfs") inCellXfs = false;
    },
  });
  for (const id of formats) {
    const code = custom.get(id);
    kinds.push(code === undefined ? builtinDateKind(id) : formatDateKind(code));
  }
  return kinds;
}

/** The text of a string item (`<si>`, `<is>`): its `<t>` runs, rich text's `<r><t>` included, phonetic runs left out. */
class StringItem {
  text = "";
  private inText = false;
  private phonetic = 0;

  open(name: string) {
    if (name === "t") this.inText = this.phonetic === 0;
    else if (name === "rPh") this.phonetic++;
  }

  close(name: string) {
    if (name === "t") this.inText = false;
    else if (name === "rPh") this.phonetic--;
  }

  add(text: string) {
    if (this.inText) this.text += text;
  }

  reset() {
    this.text = "";
    this.inText = false;
    this.phonetic = 0;
  }
}

async function sharedStrings(zip: Zip, entry: ZipEntry | undefined): Promise<string[]> {
  const strings: string[] = [];
  if (!entry) return strings;
  const item = new StringItem();
  let inItem = false;
  await readPart(zip, entry, {
    open(name) {
      if (name === "si") {
        inItem = true;
        item.reset();
      } else if (inItem) item.open(name);
    },
    close(name) {
      if (name === "si") {
        inItem = false;
        strings.push(unescapeExcel(item.text));
      } else if (inItem) item.close(name);
    },
    text(text) {
      if (!inItem) return;
      item.add(text);
      if (item.text.length > MAX_ROW_CHARS) throw notWorkbook("a text of its shared strings is larger than 64 MB");
    },
  });
  return strings;
}

export async function openWorkbook(file: RandomAccessFile, unpackLimit: number): Promise<Workbook> {
  const zip = await openZip(file, unpackLimit);
  const office = [...(await relationships(zip, "")).values()].find((r) => r.type.endsWith("/officeDocument"));
  const workbookPath = office && zip.get(office.target) ? office.target : "xl/workbook.xml";
  const workbookEntry = zip.get(workbookPath);
  if (!workbookEntry || !zip.get(relsPath(workbookPath))) {
    throw notWorkbook("it is a zip archive without a workbook in it");
  }
  const listed: { name: string; id: string }[] = [];
  let date1904 = false;
  await readPart(zip, workbookEntry, {
    open(name, tag) {
      if (name === "workbookPr") {
        const value = attribute(tag, "date1904");
        date1904 = value === "1" || value === "true";
      } else if (name === "sheet") {
        const sheetName = attribute(tag, "name");
        const id = prefixedAttribute(tag, "id");
        if (sheetName !== undefined && id !== undefined) listed.push({ name: sheetName, id });
      }
    },
  });
  const rels = await relationships(zip, workbookPath);
  const sheets = new Map<string, ZipEntry>();
  for (const { name, id } of listed) {
    const target = rels.get(id)?.target;
    const entry = target === undefined ? undefined : zip.get(target);
    if (entry && !sheets.has(name)) sheets.set(name, entry);
  }
  if (sheets.size === 0) throw notWorkbook("it has no sheets");
  const part = (type: string, fallback: string) => {
    const rel = [...rels.values()].find((r) => r.type.endsWith(type));
    return zip.get(rel?.target ?? fallback) ?? zip.get(fallback);
  };

  let loaded: Promise<{ strings: string[]; styles: DateKind[] }> | undefined;
  const load = async () => ({
    strings: await sharedStrings(zip, part("/sharedStrings", "xl/sharedStrings.xml")),
    styles: await dateStyles(zip, part("/styles", "xl/styles.xml")),
  });

  async function* rows(sheet: string): AsyncGenerator<SheetRow> {
    const entry = sheets.get(sheet);
    if (!entry) throw new UnreadableFile(`The workbook has no sheet named "${sheet}".`);
    loaded ??= load();
    const { strings, styles } = await loaded;
    const ready: SheetRow[] = [];
    let rowNumber = 0;
    let cells: string[] | undefined;
    let rowChars = 0;
    // A cell without its reference (optional) is the one after the cell before it.
    let next = 0;
    let index = 0;
    let type: string | undefined;
    let style: number | undefined;
    let inCell = false;
    let value: string | undefined;
    let inValue = false;
    const inline = new StringItem();
    let inInline = false;
    let hasInline = false;

    function cellValue(): string | undefined {
      if (type === "inlineStr" || (value === undefined && hasInline)) {
        return hasInline ? unescapeExcel(inline.text) : value === undefined ? undefined : unescapeExcel(value);
      }
      if (value === undefined) return undefined;
      switch (type) {
        case "s":
          return strings[Number(value)] ?? "";
        case "b":
          return value.trim() === "1" ? "TRUE" : "FALSE";
        case "str":
        case "e":
          return unescapeExcel(value);
        case "d":
          return value.trim();
        default: {
          const kind = style === undefined ? undefined : styles[style];
          if (kind) {
            const text = serialText(Number(value), kind, date1904);
            if (text !== undefined) return text;
          }
          return numberText(value.trim());
        }
      }
    }

    const handlers: Handlers = {
      open(name, tag) {
        if (inInline) {
          inline.open(name);
          return;
        }
        switch (name) {
          case "row": {
            const r = attribute(tag, "r");
            rowNumber = r === undefined ? rowNumber + 1 : Number(r);
            cells = [];
            rowChars = 0;
            next = 0;
            break;
          }
          case "c": {
            const ref = attribute(tag, "r");
            index = ref ? columnIndex(ref) : next;
            next = index + 1;
            type = attribute(tag, "t");
            const s = attribute(tag, "s");
            style = s === undefined ? undefined : Number(s);
            value = undefined;
            hasInline = false;
            inCell = cells !== undefined;
            break;
          }
          case "v":
            if (inCell) {
              inValue = true;
              value = "";
            }
            break;
          case "is":
            if (inCell) {
              inInline = true;
              hasInline = true;
              inline.reset();
            }
            break;
        }
      },
      close(name) {
        if (inInline) {
          if (name === "is") inInline = false;
          else inline.close(name);
          return;
        }
        if (name === "v") inValue = false;
        else if (name === "c" && inCell) {
          inCell = false;
          const text = cellValue();
          if (text === undefined || !cells) return;
          while (cells.length < index) cells.push("");
          cells[index] = text;
        } else if (name === "row") {
          if (cells?.length) ready.push({ row: rowNumber, cells });
          cells = undefined;
        }
      },
      text(text) {
        if (inInline) inline.add(text);
        else if (inValue) value += text;
        else return;
        rowChars += text.length;
        if (rowChars > MAX_ROW_CHARS) throw notWorkbook("a row of its sheet is larger than 64 MB");
      },
    };
    yield* parsePart(zip, entry, handlers, ready);
  }

  return { sheets: [...sheets.keys()], rows };
}
