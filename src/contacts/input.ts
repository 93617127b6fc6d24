import type { FieldError } from "../http/problem.ts";
import * as rules from "./fields.ts";

/** A contact's stored fields, in the API's names. */
export interface ContactFields {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  phoneDigits: string | null;
  language: string | null;
  timezone: string | null;
  externalId: string | null;
  lastSeenAt: string | null;
}

/** Each field's column in the contacts table. */
export const FIELD_COLUMNS: Record<keyof ContactFields, string> = {
  firstName: "first_name",
  lastName: "last_name",
  email: "email",
  phone: "phone",
  phoneDigits: "phone_digits",
  language: "language",
  timezone: "timezone",
  externalId: "external_id",
  lastSeenAt: "last_seen_at",
};

export type ContactInput = Partial<Record<keyof ContactFields | "phoneCountry", unknown>> & {
  tags?: unknown;
};

export interface NormalisedInput {
  fields: Partial<ContactFields>;
  tags: string[] | undefined;
  errors: FieldError[];
}

/**
 * Validates and normalises the fields present in `input` (absent ones stay absent, so
 * the same function serves create, merge patch and import). National phone numbers are
 * read in `phoneCountry` when given, else in the workspace's default country.
 */
export function normaliseContact(input: ContactInput, defaultCountry: string): NormalisedInput {
  const errors: FieldError[] = [];
  const fields: Partial<ContactFields> = {};
  const has = (key: string) => Object.hasOwn(input, key) && input[key as keyof ContactInput] !== undefined;
  const put = <K extends keyof ContactFields>(key: K, rule: () => ContactFields[K]) => {
    if (!has(key)) return;
    const value = rules.check(errors, key, rule);
    if (value !== undefined) fields[key] = value;
  };
  put("firstName", () => rules.text(input.firstName, rules.LIMITS.name));
  put("lastName", () => rules.text(input.lastName, rules.LIMITS.name));
  put("email", () => rules.email(input.email));
  put("language", () => rules.language(input.language));
  put("timezone", () => rules.timezone(input.timezone));
  put("externalId", () => rules.text(input.externalId, rules.LIMITS.externalId));
  put("lastSeenAt", () => rules.timestamp(input.lastSeenAt));

  let country = defaultCountry;
  if (has("phoneCountry")) {
    const given = typeof input.phoneCountry === "string" ? input.phoneCountry.trim().toUpperCase() : "";
    if (rules.isCountryCode(given)) country = given;
    else errors.push({ field: "phoneCountry", message: "is not an ISO 3166 country code (like NL)" });
  }
  if (has("phone")) {
    const phone = rules.check(errors, "phone", () => rules.phone(input.phone, country));
    if (phone !== undefined) {
      fields.phone = phone?.e164 ?? null;
      fields.phoneDigits = phone?.digits ?? null;
    }
  }

  let tags: string[] | undefined;
  if (has("tags")) {
    const result = rules.tagNames(input.tags);
    errors.push(...result.errors);
    tags = result.tags;
  }
  return { fields, tags, errors };
}

/** A contact must be findable: it needs a name, an e-mail address, a phone or an external id. */
export function identityError(contact: Partial<ContactFields>): FieldError | undefined {
  const { firstName, lastName, email, phone, externalId } = contact;
  if (firstName || lastName || email || phone || externalId) return undefined;
  return {
    field: "firstName",
    message: "a contact needs at least one of first name, last name, email, phone or external id",
  };
}
