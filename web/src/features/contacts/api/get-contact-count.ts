import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { queryString, request } from "../../../lib/api-client.ts";
import type { ContactFilters } from "./types.ts";

export function getContactCount(filters: ContactFilters, signal?: AbortSignal) {
  const query = queryString({
    q: filters.q.trim(),
    tag: filters.tags,
    language: filters.language,
    channel: filters.channel,
  });
  return request<{ count: number }>(`/contacts/count${query}`, { signal }).then((body) => body.count);
}

export const contactCountQuery = (filters: ContactFilters) =>
  queryOptions({
    queryKey: ["contacts", "count", filters],
    queryFn: ({ signal }) => getContactCount(filters, signal),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });

export const useContactCount = (filters: ContactFilters) => useQuery(contactCountQuery(filters));
