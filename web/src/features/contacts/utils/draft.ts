import type { Contact, ContactInput } from "../api/types.ts";
import { countryOfPhone, displayPhone } from "./phone.ts";

/** What the contact form holds while the user types: every field as text. */
export interface ContactDraft {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  phoneCountry: string;
  language: string;
  timezone: string;
  externalId: string;
}

export const FIELD_LABELS: Record<string, string> = {
  firstName: "First name",
  lastName: "Last name",
  email: "Email",
  phone: "Phone",
  language: "Language",
  timezone: "Timezone",
  externalId: "External ID",
};

/** API fields the form shows under another field. */
export const FIELD_ALIASES: Record<string, string> = { phoneCountry: "phone" };

export const TEXT_FIELDS = ["firstName", "lastName", "email", "phone", "language", "timezone", "externalId"] as const;

export function emptyDraft(country: string, timezone: string): ContactDraft {
  return {
    firstName: "",
    lastName: "",
    email: "",
    phone: "",
    phoneCountry: country,
    language: "",
    timezone,
    externalId: "",
  };
}

export function draftOf(contact: Contact, homeCountry: string): ContactDraft {
  const country = countryOfPhone(contact.phone) ?? homeCountry;
  return {
    firstName: contact.firstName ?? "",
    lastName: contact.lastName ?? "",
    email: contact.email ?? "",
    phone: contact.phone ? displayPhone(contact.phone, country) : "",
    phoneCountry: country,
    language: contact.language ?? "",
    timezone: contact.timezone ?? "",
    externalId: contact.externalId ?? "",
  };
}

/** The body of POST /contacts: filled fields only. */
export function createInput(draft: ContactDraft): ContactInput {
  const input: ContactInput = {};
  for (const field of TEXT_FIELDS) {
    const value = draft[field].trim();
    if (value !== "") input[field] = value;
  }
  // No country chosen: the server reads a national number in the workspace's country.
  if (input.phone && draft.phoneCountry) input.phoneCountry = draft.phoneCountry;
  return input;
}

/** A contact needs one of these; checked before asking the server. */
export function isBlank(draft: ContactDraft): boolean {
  return ["firstName", "lastName", "email", "phone", "externalId"].every(
    (field) => draft[field as keyof ContactDraft].trim() === "",
  );
}

/** The merge patch from `before` to `after`: changed fields only, an emptied one as null. */
export function patchInput(before: ContactDraft, after: ContactDraft): ContactInput {
  const input: ContactInput = {};
  for (const field of TEXT_FIELDS) {
    const value = after[field].trim();
    if (value === before[field].trim()) continue;
    input[field] = value === "" ? null : value;
  }
  if (input.phone && after.phoneCountry) input.phoneCountry = after.phoneCountry;
  return input;
}
