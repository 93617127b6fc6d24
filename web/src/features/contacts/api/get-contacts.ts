import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { queryString, request } from "../../../lib/api-client.ts";
import type { Contact, ContactFilters, Sort } from "./types.ts";

/** Rows fetched per keyset page: a few screens, so scrolling rarely waits. */
export const PAGE_SIZE = 100;

export interface ContactPage {
  items: Contact[];
  nextCursor: string | null;
}

export function getContacts(
  filters: ContactFilters,
  sort: Sort,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<ContactPage> {
  const query = queryString({
    q: filters.q.trim(),
    tag: filters.tags,
    language: filters.language,
    channel: filters.channel,
    sort,
    limit: PAGE_SIZE,
    cursor,
  });
  return request<ContactPage>(`/contacts${query}`, { signal });
}

export const contactsQuery = (filters: ContactFilters, sort: Sort) =>
  infiniteQueryOptions({
    queryKey: ["contacts", "list", filters, sort],
    queryFn: ({ pageParam, signal }) => getContacts(filters, sort, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    // While a new search loads, the previous rows stay (dimmed) instead of flashing empty.
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });

export const useContacts = (filters: ContactFilters, sort: Sort) => useInfiniteQuery(contactsQuery(filters, sort));
