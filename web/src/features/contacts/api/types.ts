/** A way the contact reaches the workspace (API.md, "Channels and conversations"). */
export interface Identity {
  channel: "email" | "whatsapp" | "sms" | "webchat" | "api";
  address: string;
  lastSeenAt: string | null;
}

export interface Contact {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  /** E.164 */
  phone: string | null;
  language: string | null;
  timezone: string | null;
  externalId: string | null;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  lastSeenAt: string | null;
  /** Absent on a server older than the channels release. */
  identities?: Identity[];
  version: number;
}

/** The fields a person writes; `phoneCountry` says where a national phone number is from. */
export interface ContactInput {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  phoneCountry?: string;
  language?: string | null;
  timezone?: string | null;
  externalId?: string | null;
}

export const SORTS = [
  "name",
  "-name",
  "createdAt",
  "-createdAt",
  "updatedAt",
  "-updatedAt",
  "lastSeenAt",
  "-lastSeenAt",
] as const;
export type Sort = (typeof SORTS)[number];
export const DEFAULT_SORT: Sort = "-createdAt";

/** The filters the list, its count and the export share. */
export interface ContactFilters {
  q: string;
  tags: string[];
  language: string;
  /** Contacts seen on this channel (an identity on it), e.g. `whatsapp`; empty for all. */
  channel?: string;
}
