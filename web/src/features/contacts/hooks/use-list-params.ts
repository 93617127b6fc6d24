import { useMemo } from "react";
import { updateSearch, useLocation } from "../../../lib/router.ts";
import { type ContactFilters, DEFAULT_SORT, SORTS, type Sort } from "../api/types.ts";

/**
 * The list's state lives in the address: `?q=zoe&tag=Sales&sort=name&contact=<id>`, so a
 * reload, the back button or a shared link shows the same list and the same open contact.
 */
export function useListParams() {
  const { search } = useLocation();
  const { filters: read, sort, contactId } = listParamsOf(search);
  const tagKey = read.tags.join("\n");
  // The same filters keep the same object, so effects that depend on them run only on a change.
  const filters: ContactFilters = useMemo(
    () => ({ q: read.q, tags: tagKey ? tagKey.split("\n") : [], language: read.language, channel: read.channel }),
    [read.q, tagKey, read.language, read.channel],
  );
  return { filters, sort, contactId };
}

export function listParamsOf(search: URLSearchParams) {
  const sortParam = search.get("sort");
  return {
    filters: {
      q: search.get("q") ?? "",
      tags: search.getAll("tag"),
      language: search.get("language") ?? "",
      channel: search.get("channel") ?? "",
    },
    sort: SORTS.includes(sortParam as Sort) ? (sortParam as Sort) : DEFAULT_SORT,
    contactId: search.get("contact"),
  };
}

/** Typing replaces the entry (no history step per key); other changes add one. */
export const setQuery = (q: string) => updateSearch({ q: q.trim() ? q : null }, { replace: true });
export const setTag = (tag: string) => updateSearch({ tag: tag ? [tag] : null });
export const setChannel = (channel: string) => updateSearch({ channel: channel || null });
export const setSort = (sort: Sort) => updateSearch({ sort: sort === DEFAULT_SORT ? null : sort }, { replace: true });
export const openContact = (id: string | null) => updateSearch({ contact: id });
