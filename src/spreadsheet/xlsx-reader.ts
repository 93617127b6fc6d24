import type { SheetRow } from "./csv-reader.ts";
import { UnreadableFile } from "./unreadable.ts";
import { type RandomAccessFile, readDirectory, readEntry, readSmallEntry, UnpackBudget, type ZipEntry } from "./zip.ts";

/**
 * Reads the rows of one sheet of an .xlsx (Office Open XML) as text, streaming the sheet's
 * XML: only the shared strings (which Excel keeps in one part) are held in memory. A
 * formula cell gives its last computed value, never the formula.
 */
export interface Workbook {
  sheets: string[];
  rows(sheet: string): AsyncGenerator<SheetRow>;
}

const notWorkbook = (why: string) => new UnreadableFile(`The file is not an Excel workbook (.xlsx): ${why}.`);

const ATTRIBUTES: Record<string, RegExp> = {};

function attribute(tag: string, name: string): string | undefined {
  ATTRIBUTES[name] ??= new RegExp(`\\b${name.replace(":", "\\:")}="([^"]*)"`);
  const match = (ATTRIBUTES[name] as RegExp).exec(tag);
  return match ? unescapeXml(match[1] as string) : undefined;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** XML entities, then Excel's own `_xHHHH_` escapes of characters XML cannot carry. */
export function unescapeXml(text: string): string {
  let out = text;
  if (out.includes("&")) {
    out = out.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, name: string) =>
      name[0] === "#"
        ? String.fromCodePoint(name[1] === "x" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1)))
        : (ENTITIES[name] as string),
    );
  }
  if (out.includes("_x"))
    out = out.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return out;
}

/** The text of all `<t>` runs of a string item (rich text has several). */
function stringItem(xml: string): string {
  let text = "";
  const runs = /<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g;
  for (let m = runs.exec(xml); m; m = runs.exec(xml)) text += m[1];
  return unescapeXml(text);
}

function resolvePath(base: string, target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const parts = base.split("/").slice(0, -1);
  for (const part of target.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== ".") parts.push(part);
  }
  return parts.join("/");
}

/** "B" → 1, "AA" → 26. */
function columnIndex(ref: string): number {
  let index = 0;
  for (let i = 0; i < ref.length; i++) {
    const code = ref.charCodeAt(i);
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

async function* decodeUtf8(pieces: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  for await (const piece of pieces) yield decoder.decode(piece, { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
}

export async function openWorkbook(file: RandomAccessFile, unpackLimit: number): Promise<Workbook> {
  const budget = new UnpackBudget(unpackLimit);
  const entries = await readDirectory(file);
  const workbookEntry = entries.get("xl/workbook.xml");
  const relsEntry = entries.get("xl/_rels/workbook.xml.rels");
  if (!workbookEntry || !relsEntry) throw notWorkbook("it is a zip archive without a workbook in it");
  const declared = [...entries.values()].reduce((sum, e) => sum + e.size, 0);
  if (declared > unpackLimit) budget.take(declared);
  const workbookXml = await readSmallEntry(file, workbookEntry, budget);
  const relsXml = await readSmallEntry(file, relsEntry, budget);
  const targets = new Map<string, string>();
  for (const m of relsXml.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = attribute(m[0], "Id");
    const target = attribute(m[0], "Target");
    if (id && target) targets.set(id, resolvePath("xl/workbook.xml", target));
  }
  const sheets = new Map<string, ZipEntry>();
  for (const m of workbookXml.matchAll(/<sheet\b[^>]*>/g)) {
    const name = attribute(m[0], "name");
    const path = targets.get(attribute(m[0], "r:id") ?? "");
    const entry = path ? entries.get(path) : undefined;
    if (name !== undefined && entry) sheets.set(name, entry);
  }
  if (sheets.size === 0) throw notWorkbook("it has no sheets");

  let shared: string[] | undefined;
  const sharedEntry = entries.get("xl/sharedStrings.xml");
  async function sharedStrings(): Promise<string[]> {
    if (shared) return shared;
    shared = [];
    if (!sharedEntry) return shared;
    let buffer = "";
    for await (const text of decodeUtf8(readEntry(file, sharedEntry, budget))) {
      buffer += text;
      const last = buffer.lastIndexOf("</si>");
      if (last < 0) continue;
      for (const m of buffer.slice(0, last + 5).matchAll(/<si>([\s\S]*?)<\/si>|<si\/>/g)) {
        shared.push(m[1] === undefined ? "" : stringItem(m[1]));
      }
      buffer = buffer.slice(last + 5);
    }
    return shared;
  }

  async function* rows(sheet: string): AsyncGenerator<SheetRow> {
    const entry = sheets.get(sheet);
    if (!entry) throw new UnreadableFile(`The workbook has no sheet named "${sheet}".`);
    const strings = await sharedStrings();
    let buffer = "";
    let rowCounter = 0;
    for await (const text of decodeUtf8(readEntry(file, entry, budget))) {
      buffer += text;
      const last = buffer.lastIndexOf("</row>");
      if (last < 0) {
        if (buffer.length > 64 * 1024 * 1024) throw notWorkbook("a row of its sheet is larger than 64 MB");
        continue;
      }
      const complete = buffer.slice(0, last + 6);
      buffer = buffer.slice(last + 6);
      for (const m of complete.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
        const number = Number(attribute(m[1] as string, "r") ?? rowCounter + 1);
        rowCounter = number;
        if (!m[2]) continue;
        const cells = rowCells(m[2], strings);
        if (cells.length > 0) yield { row: number, cells };
      }
    }
  }

  return { sheets: [...sheets.keys()], rows };
}

function rowCells(xml: string, strings: string[]): string[] {
  const cells: string[] = [];
  // A cell without its reference (optional) is the one after the cell before it.
  let next = 0;
  for (const m of xml.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
    const attributes = m[1] as string;
    const ref = attribute(attributes, "r");
    const index = ref ? columnIndex(ref) : next;
    next = index + 1;
    const body = m[2];
    if (body === undefined) continue;
    const type = attribute(attributes, "t");
    let value: string;
    if (type === "inlineStr") value = stringItem(body);
    else {
      const v = /<v(?:\s[^>]*)?>([\s\S]*?)<\/v>/.exec(body)?.[1];
      if (v === undefined) continue;
      if (type === "s") value = strings[Number(v)] ?? "";
      else if (type === "b") value = v === "1" ? "TRUE" : "FALSE";
      else if (type === "str" || type === "e") value = unescapeXml(v);
      else value = numberText(v);
    }
    while (cells.length < index) cells.push("");
    cells[index] = value;
  }
  return cells;
}
