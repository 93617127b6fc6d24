import type { QueryClient } from "@tanstack/react-query";
import type { ContactFilters, Sort } from "./types.ts";

/** The contact feature's query keys: its api modules share them, nobody spells them out. */
export const contactKeys = {
  all: ["contacts"] as const,
  lists: ["contacts", "list"] as const,
  list: (filters: ContactFilters, sort: Sort) => ["contacts", "list", filters, sort] as const,
  counts: ["contacts", "count"] as const,
  count: (filters: ContactFilters) => ["contacts", "count", filters] as const,
  detail: (id: string) => ["contacts", "detail", id] as const,
};

export const tagKeys = { all: ["tags"] as const };

/** After contacts changed in bulk (an import): the lists, counts, contacts and tag counts are stale. */
export function invalidateContacts(client: QueryClient) {
  void client.invalidateQueries({ queryKey: contactKeys.all });
  void client.invalidateQueries({ queryKey: tagKeys.all });
}
