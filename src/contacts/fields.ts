import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from "libphonenumber-js/max";
import type { FieldError } from "../http/problem.ts";
import { LIMITS } from "./limits.ts";

/**
 * The rules a contact's fields follow, wherever they come from (the API, an import).
 * Each function takes what a person or program sent and returns the stored form, or
 * throws a FieldError message.
 */
export { LIMITS };

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// Anything without spaces and the characters RFC 5322 reserves, an @, and a dotted domain.
// Letters of every script are allowed on both sides (internationalised addresses).
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:".]+(\.[^\s@<>()[\]\\,;:".]+)+$/u;

class FieldProblem extends Error {}

function fail(message: string): never {
  throw new FieldProblem(message);
}

const length = (value: string) => [...value].length;

/** Trims; an empty string means "no value". */
export function text(value: unknown, max: number): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") fail("must be a string");
  const trimmed = value.trim();
  if (CONTROL.test(trimmed)) fail("must not contain control characters");
  if (length(trimmed) > max) fail(`must be at most ${max} characters`);
  return trimmed === "" ? null : trimmed;
}

export function email(value: unknown): string | null {
  const address = text(value, LIMITS.email);
  if (address !== null && !EMAIL.test(address)) fail("is not a valid e-mail address");
  return address;
}

export interface Phone {
  e164: string;
  /** International and national digits, for searching by digits however typed. */
  digits: string;
}

export function isCountryCode(value: string): value is CountryCode {
  return /^[A-Z]{2}$/.test(value) && isSupportedCountry(value);
}

export function phone(value: unknown, country: string): Phone | null {
  const written = text(value, LIMITS.phone);
  if (written === null) return null;
  if (!/^[\d\s()+\-./]+$/.test(written) || !/\d/.test(written)) {
    fail("is not a phone number");
  }
  const number = parsePhoneNumberFromString(written, {
    defaultCountry: country as CountryCode,
    extract: false,
  });
  if (!number?.isPossible()) {
    fail(
      written.startsWith("+")
        ? "is not a possible phone number"
        : `is not a possible phone number in ${country}; write it with + and the country code`,
    );
  }
  const international = number.number.slice(1);
  const national = number.formatNational().replace(/\D/g, "");
  return {
    e164: number.number,
    digits: national === international ? international : `${international} ${national}`,
  };
}

export function language(value: unknown): string | null {
  const tag = text(value, 64);
  if (tag === null) return null;
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    if (!canonical) fail("is not a BCP 47 language tag");
    return canonical;
  } catch (error) {
    if (error instanceof FieldProblem) throw error;
    fail("is not a BCP 47 language tag (like en, nl-NL)");
  }
}

// Building an Intl.DateTimeFormat takes ~70 µs; an import checks the same few zones for
// every row, so the canonical name of each valid zone is remembered (there are ~600).
const KNOWN_ZONES = new Map<string, string>();

export function timezone(value: unknown): string | null {
  const zone = text(value, 64);
  if (zone === null) return null;
  const known = KNOWN_ZONES.get(zone);
  if (known !== undefined) return known;
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone)) fail("is not an IANA time zone (like Europe/Amsterdam)");
  try {
    const canonical = new Intl.DateTimeFormat("en", { timeZone: zone }).resolvedOptions().timeZone;
    if (KNOWN_ZONES.size < 4096) KNOWN_ZONES.set(zone, canonical);
    return canonical;
  } catch {
    fail("is not an IANA time zone (like Europe/Amsterdam)");
  }
}

export function timestamp(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") fail("must be a date-time string");
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/i;
  const time = Date.parse(value);
  if (!iso.test(value) || Number.isNaN(time)) {
    fail("must be an ISO 8601 date-time with a time zone (2026-11-25T13:09:17Z)");
  }
  return new Date(time).toISOString();
}

export function tagName(value: unknown): string {
  const name = text(value, LIMITS.tag);
  if (name === null) fail("must not be empty");
  return name;
}

/** Tag names as given, trimmed, without case-insensitive repeats (first spelling wins). */
export function tagNames(value: unknown, field = "tags"): { tags: string[]; errors: FieldError[] } {
  if (!Array.isArray(value)) return { tags: [], errors: [{ field, message: "must be a list" }] };
  const errors: FieldError[] = [];
  const seen = new Map<string, string>();
  value.forEach((item, index) => {
    try {
      const name = tagName(item);
      if (!seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
    } catch (error) {
      errors.push({ field: `${field}[${index}]`, message: (error as Error).message });
    }
  });
  return { tags: [...seen.values()], errors };
}

/** Runs one field rule, collecting its message under the field's name. */
export function check<T>(errors: FieldError[], field: string, rule: () => T): T | undefined {
  try {
    return rule();
  } catch (error) {
    if (!(error instanceof FieldProblem)) throw error;
    errors.push({ field, message: error.message });
    return undefined;
  }
}
