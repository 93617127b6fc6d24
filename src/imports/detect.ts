/**
 * What kind of file an upload is, told from its first bytes: a zip (so an .xlsx) or text,
 * and for text its encoding and delimiter. Pure functions over a sample.
 */

import { UnreadableFile } from "../spreadsheet/unreadable.ts";

export type Encoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";
export type Delimiter = ";" | "," | "\t";

export { UnreadableFile };

/** A file named like a vCard export (`contacts.vcf`); its content still has to be one. */
export function isVcardName(fileName: string): boolean {
  return /\.(vcf|vcard)$/i.test(fileName.trim());
}

export function isZip(sample: Buffer): boolean {
  return sample.length >= 4 && sample.readUInt32LE(0) === 0x04034b50;
}

/**
 * A BOM decides; else NULs in every other byte mean UTF-16 without one; else strict UTF-8
 * if the sample decodes as such; else Windows-1252 (what Excel writes on Windows in the
 * West). A file that is none of these (NULs, control characters) is not a CSV.
 */
export function detectEncoding(sample: Buffer): Encoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return "utf-8";
  if (sample[0] === 0xff && sample[1] === 0xfe) return "utf-16le";
  if (sample[0] === 0xfe && sample[1] === 0xff) return "utf-16be";
  const head = sample.subarray(0, 4096);
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < head.length; i++) if (head[i] === 0) i % 2 === 0 ? evenNuls++ : oddNuls++;
  const half = head.length / 2;
  if (oddNuls > half * 0.3 && evenNuls === 0) return "utf-16le";
  if (evenNuls > half * 0.3 && oddNuls === 0) return "utf-16be";
  if (evenNuls + oddNuls > 0) throw notText();
  let encoding: Encoding = "utf-8";
  try {
    // `stream: true` lets a character cut off at the end of the sample pass.
    new TextDecoder("utf-8", { fatal: true }).decode(sample, { stream: true });
  } catch {
    encoding = "windows-1252";
  }
  assertText(new TextDecoder(encoding).decode(sample.subarray(0, 65536), { stream: true }));
  return encoding;
}

const notText = () =>
  new UnreadableFile("The file is neither a CSV text file nor an Excel workbook (.xlsx): it looks like binary data.");

/** Text files have few control characters besides tab, CR and LF; binary data has many. */
function assertText(text: string) {
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13) || code === 0xfffd) controls++;
  }
  if (controls > Math.max(2, text.length / 100)) throw notText();
}

const CANDIDATES: Delimiter[] = [";", ",", "\t"];

/**
 * The delimiter that splits the first lines most consistently: counted outside quotes,
 * the one whose count on the header line recurs on the most following lines wins.
 */
export function detectDelimiter(text: string, maxLines = 20): Delimiter {
  const counts: Record<Delimiter, number>[] = [];
  let current = { ";": 0, ",": 0, "\t": 0 };
  let quoted = false;
  for (let i = 0; i < text.length && counts.length < maxLines; i++) {
    const c = text[i] as string;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "\n" || c === "\r")) {
      if (c === "\r" && text[i + 1] === "\n") i++;
      counts.push(current);
      current = { ";": 0, ",": 0, "\t": 0 };
    } else if (!quoted && (c === ";" || c === "," || c === "\t")) current[c]++;
  }
  if (counts.length < maxLines) counts.push(current);
  const lines = counts.filter((line) => line[";"] + line[","] + line["\t"] > 0);
  const header = lines[0];
  if (!header) return ",";
  let best: Delimiter = ",";
  let bestScore = -1;
  for (const candidate of CANDIDATES) {
    const expected = header[candidate];
    if (expected === 0) continue;
    const score = lines.filter((line) => line[candidate] === expected).length * 1000 + expected;
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

export const DELIMITER_NAMES: Record<Delimiter, string> = { ";": "semicolon", ",": "comma", "\t": "tab" };
