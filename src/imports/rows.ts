import { type ContactFields, type ContactInput, identityError, normaliseContact } from "../contacts/input.ts";
import type { FieldError } from "../http/problem.ts";
import type { ImportField } from "./mapping.ts";

/**
 * One data row of a file, checked with the same rules as the API. Blank cells are left
 * out (an import never erases a value), so `fields` holds only what the row says.
 */
export interface CheckedRow {
  row: number;
  cells: string[];
  /** The contact id the row names (an `ID` column), when it is a UUID. */
  id?: string;
  fields: Partial<ContactFields>;
  tags: string[];
  errors: FieldError[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Tags in one cell: our export joins them with ", "; some files use ";" or "|". */
export function splitTags(cell: string): string[] {
  return cell
    .split(/[,;|]/)
    .map((tag) => tag.trim())
    .filter((tag) => tag !== "");
}

export function checkRow(
  row: number,
  cells: string[],
  columns: (ImportField | null)[],
  headerLength: number,
  defaultCountry: string,
  fullWidth: boolean,
): CheckedRow {
  const input: ContactInput = {};
  let id: string | undefined;
  let tags: string[] = [];
  for (let i = 0; i < columns.length; i++) {
    const field = columns[i];
    const cell = cells[i];
    if (!field || cell === undefined || cell.trim() === "") continue;
    if (field === "id") {
      if (UUID.test(cell.trim())) id = cell.trim().toLowerCase();
    } else if (field === "tags") tags = splitTags(cell);
    else input[field] = cell;
  }
  if (tags.length) input.tags = tags;
  const result = normaliseContact(input, defaultCountry);
  const errors = [...raggedness(cells, headerLength, fullWidth), ...result.errors];
  const checked: CheckedRow = { row, cells, fields: result.fields, tags: result.tags ?? [], errors };
  if (id) checked.id = id;
  return checked;
}

/**
 * A row with more filled cells than the header has columns is reported, and in a CSV
 * (where every row carries all its delimiters) one with fewer cells; a sheet leaves empty
 * cells at the end of a row out.
 */
function raggedness(cells: string[], headerLength: number, fullWidth: boolean): FieldError[] {
  if (fullWidth && cells.length < headerLength) {
    return [{ field: "row", message: `has ${cells.length} cells where the header has ${headerLength}` }];
  }
  for (let i = headerLength; i < cells.length; i++) {
    if ((cells[i] as string).trim() !== "") {
      return [{ field: "row", message: `has ${cells.length} cells where the header has ${headerLength}` }];
    }
  }
  return [];
}

/** A new contact needs a name, e-mail, phone or external id; an update has one already. */
export function creationError(row: CheckedRow): FieldError | undefined {
  return identityError(row.fields);
}

export function describeErrors(errors: FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.message}`).join("; ");
}
