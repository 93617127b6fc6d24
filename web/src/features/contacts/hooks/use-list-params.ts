import { useMemo } from "react";
import { updateSearch, useLocation } from "../../../lib/router.ts";
import { type ContactFilters, DEFAULT_SORT, SORTS, type Sort } from "../api/types.ts";

/**
 * The list's state lives in the address: `?q=zoe&tag=Sales&sort=name&contact=<id>`, so a
 * reload, the back button or a shared link shows the same list and the same open contact.
 */
export function useListParams() {
  const { search } = useLocation();
  const q = search.get("q") ?? "";
  const tagKey = search.getAll("tag").join("\n");
  const language = search.get("language") ?? "";
  const sortParam = search.get("sort");
  const sort: Sort = SORTS.includes(sortParam as Sort) ? (sortParam as Sort) : DEFAULT_SORT;
  const contactId = search.get("contact");
  const filters: ContactFilters = useMemo(
    () => ({ q, tags: tagKey ? tagKey.split("\n") : [], language }),
    [q, tagKey, language],
  );
  return { filters, sort, contactId };
}

/** Typing replaces the entry (no history step per key); other changes add one. */
export const setQuery = (q: string) => updateSearch({ q: q.trim() ? q : null }, { replace: true });
export const setTag = (tag: string) => updateSearch({ tag: tag ? [tag] : null });
export const setSort = (sort: Sort) => updateSearch({ sort: sort === DEFAULT_SORT ? null : sort }, { replace: true });
export const openContact = (id: string | null) => updateSearch({ contact: id });
