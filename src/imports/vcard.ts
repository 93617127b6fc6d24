import ICAL from "ical.js";
import type { Encoding } from "./detect.ts";
import { UnreadableFile } from "./detect.ts";

/**
 * Reads vCard files (.vcf: versions 2.1, 3.0 and 4.0, what Apple and Google contacts
 * export) as rows of a sheet: a header of columns named after the properties, then one row
 * per card. A card with several e-mail addresses or phone numbers gets `EMAIL 2`, `TEL 2`, …
 * columns, which the mapping treats like any file's second e-mail or phone column.
 *
 * The file is streamed a line at a time. Lines are unfolded here (RFC 6350 folding, and the
 * quoted-printable soft line breaks of 2.1-era files, which no folding rule covers), 2.1's
 * bare parameters (`TEL;CELL;PREF:`) are given their `TYPE=`, quoted-printable values are
 * decoded in their CHARSET, and each property line is then parsed by ical.js (escapes,
 * structured and multi-valued properties). Properties we do not import (PHOTO, ADR, NOTE…)
 * are not parsed at all, so a broken photo never costs a contact.
 */

/** One row: its number as a spreadsheet would show it (the header is row 1) and its cells. */
export interface VcardRow {
  row: number;
  cells: string[];
}

const BASE_COLUMNS = ["FN", "N", "EMAIL", "TEL", "LANG", "TZ", "UID", "CATEGORIES"] as const;
const READ = new Set(["VERSION", "FN", "N", "EMAIL", "TEL", "LANG", "TZ", "UID", "CATEGORIES"]);

/** Whether text (the start of a decoded file) is a vCard file. */
export function looksLikeVcard(text: string): boolean {
  // Its first line that is not blank, after a BOM.
  return /^BEGIN:VCARD[ \t]*(\r|\n|$)/i.test(text.replace(/^\uFEFF/, "").trimStart());
}

/** The columns for a file: the base ones, with `EMAIL 2`, `TEL 2`, … as its cards need them. */
export function vcardColumns(emails: number, phones: number): string[] {
  const numbered = (name: string, count: number) =>
    Array.from({ length: Math.max(1, count) }, (_, i) => (i === 0 ? name : `${name} ${i + 1}`));
  return BASE_COLUMNS.flatMap((column) =>
    column === "EMAIL" ? numbered("EMAIL", emails) : column === "TEL" ? numbered("TEL", phones) : [column],
  );
}

/** Reads the file once to find how many e-mail and phone columns its cards need. */
export async function scanVcard(chunks: AsyncIterable<Buffer>, encoding: Encoding): Promise<string[]> {
  let emails = 1;
  let phones = 1;
  let cards = 0;
  for await (const card of readCards(chunks, encoding)) {
    cards++;
    emails = Math.max(emails, card.emails.length);
    phones = Math.max(phones, card.phones.length);
  }
  if (cards === 0) {
    throw new UnreadableFile("The file has no contact card in it (BEGIN:VCARD … END:VCARD), so no contacts to import.");
  }
  return vcardColumns(emails, phones);
}

/** The header, then one row per card, its cells laid out in `columns`. */
export async function* vcardRows(
  chunks: AsyncIterable<Buffer>,
  encoding: Encoding,
  columns: string[],
): AsyncGenerator<VcardRow> {
  yield { row: 1, cells: columns };
  const at = new Map(columns.map((column, i) => [column, i]));
  let row = 1;
  for await (const card of readCards(chunks, encoding)) {
    row++;
    const cells = columns.map(() => "");
    const put = (column: string, value: string | undefined) => {
      const i = at.get(column);
      if (i !== undefined && value) cells[i] = value;
    };
    put("FN", card.fn);
    put("N", card.n);
    for (const [i, email] of card.emails.entries()) put(i === 0 ? "EMAIL" : `EMAIL ${i + 1}`, email);
    for (const [i, phone] of card.phones.entries()) put(i === 0 ? "TEL" : `TEL ${i + 1}`, phone);
    put("LANG", card.lang);
    put("TZ", card.tz);
    put("UID", card.uid);
    put("CATEGORIES", card.categories.join(", "));
    yield { row, cells };
  }
}

interface Card {
  fn?: string;
  n?: string;
  emails: string[];
  phones: string[];
  lang?: string;
  tz?: string;
  uid?: string;
  categories: string[];
}

/** Lines of the decoded file, any line ending. */
async function* lines(chunks: AsyncIterable<Buffer>, encoding: Encoding): AsyncGenerator<string> {
  // Strict UTF-8, as for a CSV: a file that is not UTF-8 further down is read again as Windows-1252.
  const decoder = new TextDecoder(encoding, { fatal: encoding === "utf-8" });
  let offset = 0;
  const decode = (chunk?: Buffer) => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw new UnreadableFile(`The file is not valid UTF-8 after byte ${offset}.`);
    }
  };
  let rest = "";
  const split = function* (text: string, final: boolean) {
    rest += text;
    const parts = rest.split(/\r\n|\n|\r(?!$)/);
    rest = final ? "" : (parts.pop() as string);
    // A CR at the very end may be the first half of a CRLF split across pieces.
    yield* parts;
  };
  for await (const chunk of chunks) {
    yield* split(decode(chunk), false);
    offset += chunk.length;
  }
  yield* split(decode(), true);
  if (rest) yield rest;
}

const QUOTED_PRINTABLE = /;\s*(ENCODING\s*=\s*)?QUOTED-PRINTABLE\s*[;:]/i;

/** Logical lines: folded lines joined, and quoted-printable values joined at their soft breaks. */
async function* contentLines(chunks: AsyncIterable<Buffer>, encoding: Encoding): AsyncGenerator<string> {
  let current: string | undefined;
  for await (const raw of lines(chunks, encoding)) {
    const line = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (current?.endsWith("=") && QUOTED_PRINTABLE.test(current.slice(0, current.indexOf(":") + 1))) {
      current = current.slice(0, -1) + line;
      continue;
    }
    if (current !== undefined && (line.startsWith(" ") || line.startsWith("\t"))) {
      current += line.slice(1);
      continue;
    }
    if (current !== undefined && current.trim() !== "") yield current;
    current = line;
  }
  if (current !== undefined && current.trim() !== "") yield current;
}

async function* readCards(chunks: AsyncIterable<Buffer>, encoding: Encoding): AsyncGenerator<Card> {
  let card: string[] | undefined;
  let depth = 0;
  for await (const line of contentLines(chunks, encoding)) {
    const upper = line.trim().toUpperCase();
    if (upper === "BEGIN:VCARD") {
      depth++;
      if (depth === 1) card = [];
      continue;
    }
    if (upper === "END:VCARD") {
      depth = Math.max(0, depth - 1);
      if (depth === 0 && card) {
        yield readCard(card);
        card = undefined;
      }
      continue;
    }
    // A card inside a card (2.1's AGENT) is someone else: its lines are left out.
    if (card && depth === 1) card.push(line);
  }
}

type JcardProperty = [string, Record<string, string | string[]>, string, ...unknown[]];

function readCard(lines: string[]): Card {
  const version = lines
    .find((line) => /^VERSION:/i.test(line))
    ?.slice(8)
    .trim();
  const design = version === "4.0" ? ICAL.design.vcard : ICAL.design.vcard3;
  const properties: JcardProperty[] = [];
  for (const line of lines) {
    const prepared = prepareLine(line, design === ICAL.design.vcard3);
    if (!prepared) continue;
    try {
      properties.push(ICAL.parse.property(prepared, design) as unknown as JcardProperty);
    } catch {
      // A property line ical.js cannot read is left out, like a property we do not import.
    }
  }
  const all = (name: string) => byPreference(properties.filter((p) => p[0] === name));
  const text = (p: JcardProperty | undefined) => (p === undefined ? undefined : valueText(p[3]));
  const tz = all("tz")[0];
  return {
    fn: text(all("fn")[0]),
    n: structuredName(all("n")[0]),
    emails: all("email")
      .map((p) => text(p)?.replace(/^mailto:/i, ""))
      .filter(nonEmpty),
    phones: all("tel")
      .map((p) => text(p)?.replace(/^tel:/i, "").replace(/;.*$/, ""))
      .filter(nonEmpty),
    lang: text(all("lang")[0]),
    tz: tz && tz[2] === "utc-offset" ? offsetZone(text(tz) ?? "") : text(tz),
    uid: text(all("uid")[0]),
    categories: all("categories").flatMap((p) => p.slice(3).map(valueText).filter(nonEmpty)),
  };
}

const nonEmpty = (value: string | undefined): value is string => value !== undefined && value.trim() !== "";

function valueText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(valueText).filter(nonEmpty).join(" ");
  return String(value).trim();
}

/** N as `Family;Given;Additional;Prefix;Suffix`, the way the file wrote it. */
function structuredName(p: JcardProperty | undefined): string | undefined {
  if (!p) return undefined;
  const value = p[3];
  const parts = Array.isArray(value)
    ? value.map((part) => (valueText(part) ?? "").replace(/;/g, " "))
    : [valueText(value) ?? ""];
  if (parts.every((part) => part === "")) return undefined;
  // One part alone is the family name: keep the `;` that says so.
  return parts.length === 1 ? `${parts[0]};` : parts.join(";");
}

/** Preferred first (4.0's PREF=1, 3.0's TYPE=pref), else in the order of the card. */
function byPreference(properties: JcardProperty[]): JcardProperty[] {
  const rank = (p: JcardProperty) => {
    const pref = Number(p[1].pref);
    if (Number.isInteger(pref) && pref > 0) return pref;
    const types = ([] as string[]).concat(p[1].type ?? []).map((t) => t.toLowerCase());
    return types.includes("pref") ? 1 : 101;
  };
  return properties
    .map((p, i) => ({ p, i, r: rank(p) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map(({ p }) => p);
}

/** A UTC offset of whole hours as an IANA zone ("-05:00" → "Etc/GMT+5"); other offsets as written. */
function offsetZone(offset: string): string {
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset.trim());
  if (!match || (match[3] && match[3] !== "00")) return offset;
  const hours = Number(match[2]);
  if (hours === 0) return "Etc/UTC";
  return `Etc/GMT${match[1] === "+" ? "-" : "+"}${hours}`;
}

/**
 * A property line as ical.js reads it, or undefined for a property we do not import: 2.1's
 * bare parameters become `TYPE=`, a quoted-printable value is decoded in its CHARSET, and a
 * 3.0 `TZ` that is a zone name says it is text (3.0's default is a UTC offset).
 */
function prepareLine(line: string, version3: boolean): string | undefined {
  const colon = nameEnd(line);
  if (colon < 0) return undefined;
  const [nameWithGroup = "", ...params] = splitOutsideQuotes(line.slice(0, colon), ";");
  const name = nameWithGroup
    .slice(nameWithGroup.lastIndexOf(".") + 1)
    .trim()
    .toUpperCase();
  if (!READ.has(name) || name === "VERSION") return undefined;
  let value = line.slice(colon + 1);
  let quotedPrintable = false;
  let charset: string | undefined;
  const kept: string[] = [];
  let hasValueType = false;
  for (const param of params) {
    const eq = param.indexOf("=");
    const key = (eq < 0 ? "" : param.slice(0, eq)).trim().toUpperCase();
    const val = (eq < 0 ? param : param.slice(eq + 1)).trim();
    if (eq < 0) {
      if (/^(QUOTED-PRINTABLE|BASE64|8BIT|7BIT|B)$/i.test(val)) quotedPrintable ||= /^QUOTED-PRINTABLE$/i.test(val);
      else if (val) kept.push(`TYPE=${val}`);
    } else if (key === "ENCODING") quotedPrintable ||= /^QUOTED-PRINTABLE$/i.test(val);
    else if (key === "CHARSET") charset = val;
    else {
      if (key === "VALUE") hasValueType = true;
      kept.push(param);
    }
  }
  if (quotedPrintable) value = decodeQuotedPrintable(value, charset).replace(/\r\n|\n|\r/g, "\\n");
  if (version3 && name === "TZ" && !hasValueType && !/^[+-]\d{2}(:?\d{2})?$/.test(value.trim())) {
    kept.push("VALUE=text");
  }
  return `${name}${kept.map((p) => `;${p}`).join("")}:${value}`;
}

/** Where the name and parameters end: the first `:` outside double quotes. */
function nameEnd(line: string): number {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === ":" && !quoted) return i;
  }
  return -1;
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === separator && !quoted) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** `=C3=BC` → "ü" in the value's CHARSET (UTF-8 when it names none, or one we do not know). */
export function decodeQuotedPrintable(value: string, charset?: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === "=" && /^[0-9A-Fa-f]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(c, "utf8"));
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset || "utf-8");
  } catch {
    decoder = new TextDecoder("utf-8");
  }
  // Streamed, then flushed: Node 20's one-shot decode reads windows-1252 as ISO-8859-1
  // (0x80 "€" comes out as U+0080); its streaming decoder does not.
  return decoder.decode(new Uint8Array(bytes), { stream: true }) + decoder.decode();
}
