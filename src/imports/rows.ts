import { isCountryCode } from "../contacts/fields.ts";
import { type ContactFields, type ContactInput, identityError, normaliseContact } from "../contacts/input.ts";
import type { FieldError } from "../http/problem.ts";
import type { ColumnPlan, ImportField } from "./mapping.ts";

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
  /** Cells that are not imported, or not all of them (a second e-mail address, a second value). */
  notes: CellNote[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Tags in one cell: our export joins them with ", "; some files use ";" or "|", Google " ::: ". */
export function splitTags(cell: string): string[] {
  return cell
    .split(/:::|[,;|]/)
    .map((tag) => tag.trim())
    .filter((tag) => tag !== "" && !SYSTEM_GROUP.test(tag))
    .map((tag) => tag.replace(/^\*\s+/, ""));
}

/**
 * Google puts every contact in its system group "myContacts" (written `* myContacts`, and
 * `myContacts` in its Outlook CSV): a group of everyone is no tag. Its other system groups
 * (`* starred`, `* friends`) become tags without the star.
 */
const SYSTEM_GROUP = /^(\*\s*)?mycontacts$/i;

/** A note about a cell that is not imported, or not all of it, shown in the preview. */
export interface CellNote {
  column: string;
  message: string;
}

/** Google writes several values in one cell with " ::: " between them; Twenty a JSON list. */
export function cellValues(cell: string): string[] {
  const trimmed = cell.trim();
  if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
    try {
      const list: unknown = JSON.parse(trimmed);
      if (Array.isArray(list)) return list.filter((v): v is string => typeof v === "string" && v.trim() !== "");
    } catch {
      // not JSON: an ordinary cell
    }
  }
  return trimmed
    .split(" ::: ")
    .map((value) => value.trim())
    .filter((value) => value !== "");
}

/** A structured name, vCard's N: `Family;Given;Additional;Prefix;Suffix`. */
const STRUCTURED = /;/;

/**
 * A whole name in one cell, split into first and last name. A structured name (vCard N,
 * `Family;Given;…`) gives its family and given names. Otherwise `Last, First` (one comma)
 * is turned round, and a name of several words gives its first word as the first name and
 * the rest as the last name ("Jan van der Berg" → "Jan", "van der Berg"). A cell that is an
 * e-mail address or a phone number (Chatwoot names contacts so) is no name.
 */
export function splitName(cell: string): { firstName?: string; lastName?: string } | undefined {
  if (STRUCTURED.test(cell)) {
    const [family = "", given = ""] = cell.split(";").map((part) => part.replace(/\s+/g, " ").trim());
    if (!family && !given) return undefined;
    return { ...(given ? { firstName: given } : {}), ...(family ? { lastName: family } : {}) };
  }
  const name = cell.replace(/\s+/g, " ").trim();
  if (!name || name.includes("@") || !/\p{L}/u.test(name)) return undefined;
  const comma = name.split(",");
  if (comma.length === 2 && comma[0]?.trim() && comma[1]?.trim()) {
    return { firstName: (comma[1] as string).trim(), lastName: (comma[0] as string).trim() };
  }
  const space = name.indexOf(" ");
  if (space < 0) return { firstName: name };
  return { firstName: name.slice(0, space), lastName: name.slice(space + 1) };
}

const FIELD_WORDS: Partial<Record<ImportField, string>> = { email: "one e-mail address", phone: "one phone number" };

export function checkRow(
  row: number,
  cells: string[],
  plan: ColumnPlan,
  headerLength: number,
  defaultCountry: string,
  fullWidth: boolean,
): CheckedRow {
  const input: ContactInput = {};
  const notes: CellNote[] = [];
  const { fields: columns, headers } = plan;
  let id: string | undefined;
  let tags: string[] = [];
  const names: string[] = [];
  const from: Partial<Record<ImportField, string>> = {};
  for (let i = 0; i < columns.length; i++) {
    const field = columns[i];
    const cell = cells[i];
    if (!field || cell === undefined || cell.trim() === "") continue;
    const header = headers[i] as string;
    if (field === "id") {
      if (UUID.test(cell.trim())) id = cell.trim().toLowerCase();
    } else if (field === "tags") tags.push(...splitTags(cell));
    else if (field === "name") names.push(cell);
    else if (field === "email" || field === "phone") {
      const values = cellValues(cell);
      if (values.length === 0) continue;
      if (from[field] !== undefined) {
        notes.push({
          column: header,
          message: `is not imported: a contact has ${FIELD_WORDS[field]}, from ${from[field]}`,
        });
        continue;
      }
      if (values.length > 1) {
        notes.push({ column: header, message: `holds ${values.length} values: only the first is imported` });
      }
      from[field] = header;
      input[field] =
        field === "phone" ? withCallingCode(values[0] as string, cells, plan.phoneCountry.get(i), input) : values[0];
    } else input[field] = cell;
  }
  // A whole name fills in only when the row has no first or last name of its own.
  if (names.length && input.firstName === undefined && input.lastName === undefined) {
    const ordered = [...names.filter((n) => STRUCTURED.test(n)), ...names.filter((n) => !STRUCTURED.test(n))];
    for (const name of ordered) {
      const split = splitName(name);
      if (!split) continue;
      Object.assign(input, split);
      break;
    }
  }
  tags = [...new Set(tags)];
  if (tags.length) input.tags = tags;
  const result = normaliseContact(input, defaultCountry);
  const errors = [...raggedness(cells, headerLength, fullWidth), ...result.errors];
  const checked: CheckedRow = { row, cells, fields: result.fields, tags: result.tags ?? [], errors, notes };
  if (id) checked.id = id;
  return checked;
}

/**
 * A number written without its calling code, with the calling code ("+33") or the country
 * ("FR") in columns beside it, is read in that country.
 */
function withCallingCode(
  number: string,
  cells: string[],
  companions: { callingCode?: number; countryCode?: number } | undefined,
  input: ContactInput,
): string {
  if (!companions || /^\s*(\+|00)/.test(number)) return number;
  const codes = [companions.callingCode, companions.countryCode].map((i) =>
    i === undefined ? "" : (cells[i] ?? "").trim(),
  );
  const calling = codes.find((code) => /^\+?\d{1,4}$/.test(code));
  if (calling) return `+${calling.replace("+", "")} ${number}`;
  // A country we do not know leaves the number to the workspace's default country.
  const country = codes.map((code) => code.toUpperCase()).find((code) => isCountryCode(code));
  if (country) input.phoneCountry = country;
  return number;
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
