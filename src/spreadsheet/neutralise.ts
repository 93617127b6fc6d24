import type { CellKind } from "./columns.ts";

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * OWASP "CSV injection": a cell starting with = + - @, a tab or a carriage return may be
 * run as a formula when the file is opened, so it gets a leading `'`, which spreadsheets
 * show as text. A phone in E.164 ("+31612345678") is a number no spreadsheet evaluates
 * as a formula, and people reconcile on it, so it stays exactly as stored.
 */
export function neutralise(value: string, kind: CellKind): string {
  const first = value.charCodeAt(0);
  // = + - @ \t \r
  if (first !== 61 && first !== 43 && first !== 45 && first !== 64 && first !== 9 && first !== 13) return value;
  if (kind === "phone" && E164.test(value)) return value;
  return `'${value}`;
}

const NEUTRALISED = /^'[=+\-@\t\r]/;

/**
 * The other way: a cell our CSV neutralised (a `'` before = + - @, a tab or CR) as it was,
 * so an exported file imports back unchanged. Any other cell is returned as it is.
 */
export function unneutralise(cell: string): string {
  return cell.charCodeAt(0) === 39 && NEUTRALISED.test(cell) ? cell.slice(1) : cell;
}
