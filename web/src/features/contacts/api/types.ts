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
}
