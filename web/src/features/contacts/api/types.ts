import type { BodyOf, QueryOf, Schemas } from "../../../types/index.ts";

/** A contact as the API returns it (generated from the server's schema). */
export type Contact = Schemas["Contact"];

/** A way the contact reaches the workspace (API.md, "Channels and conversations"). */
export type Identity = Contact["identities"][number];

/** The fields a person writes; `phoneCountry` says where a national phone number is from. */
export type ContactInput = Omit<BodyOf<"/api/v1/contacts", "post">, "tags" | "lastSeenAt">;

export type Sort = NonNullable<QueryOf<"/api/v1/contacts", "get">["sort"]>;

export const SORTS = [
  "name",
  "-name",
  "createdAt",
  "-createdAt",
  "updatedAt",
  "-updatedAt",
  "lastSeenAt",
  "-lastSeenAt",
] as const satisfies readonly Sort[];
// Every sort the API offers is listed above (a new one fails the type check here).
const everySort: Exclude<Sort, (typeof SORTS)[number]> extends never ? true : false = true;
void everySort;

export const DEFAULT_SORT: Sort = "-createdAt";

/** The filters the list, its count and the export share. */
export interface ContactFilters {
  q: string;
  tags: string[];
  language: string;
  /** Contacts seen on this channel (an identity on it), e.g. `whatsapp`; empty for all. */
  channel?: string;
}
