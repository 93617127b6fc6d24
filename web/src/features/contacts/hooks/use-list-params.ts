import { useSearch } from "@tanstack/react-router";
import { useMemo } from "react";
import { updateSearch } from "../../../lib/navigation.ts";
import { many, one } from "../../../lib/search-params.ts";
import { type ContactFilters, DEFAULT_SORT, SORTS, type Sort } from "../api/types.ts";

/** The contact list's search params, as the routes of the Inbox and Studio validate them. */
export interface ListSearch {
  q?: string;
  tag?: string[];
  language?: string;
  channel?: string;
  sort?: Sort;
  contact?: string;
}

/**
 * The routes' `validateSearch`: what the address says, typed; anything unknown or malformed
 * is dropped (an unknown sort falls back to the default).
 */
export function validateListSearch(raw: Record<string, unknown>): ListSearch {
  const sort = one(raw.sort);
  const tag = many(raw.tag);
  return {
    q: one(raw.q),
    tag: tag.length ? tag : undefined,
    language: one(raw.language),
    channel: one(raw.channel),
    sort: SORTS.includes(sort as Sort) && sort !== DEFAULT_SORT ? (sort as Sort) : undefined,
    contact: one(raw.contact),
  };
}

/** The list's filters, sort and open contact from validated search params. */
export function listParamsOf(search: ListSearch) {
  return {
    filters: {
      q: search.q ?? "",
      tags: search.tag ?? [],
      language: search.language ?? "",
      channel: search.channel ?? "",
    },
    sort: search.sort ?? DEFAULT_SORT,
    contactId: search.contact ?? null,
  };
}

/**
 * The list's state lives in the address: `?q=zoe&tag=Sales&channel=whatsapp&sort=name&contact=<id>`, so a
 * reload, the back button or a shared link shows the same list and the same open contact.
 */
export function useListParams() {
  const search = useSearch({ strict: false }) as ListSearch;
  const { filters: read, sort, contactId } = listParamsOf(search);
  const tagKey = read.tags.join("\n");
  // The same filters keep the same object, so effects that depend on them run only on a change.
  const filters: ContactFilters = useMemo(
    () => ({ q: read.q, tags: tagKey ? tagKey.split("\n") : [], language: read.language, channel: read.channel }),
    [read.q, tagKey, read.language, read.channel],
  );
  return { filters, sort, contactId };
}

/** Typing replaces the entry (no history step per key); other changes add one. */
export const setQuery = (q: string) => updateSearch({ q: q.trim() ? q : null }, { replace: true });
export const setTag = (tag: string) => updateSearch({ tag: tag ? [tag] : null });
export const setChannel = (channel: string) => updateSearch({ channel: channel || null });
export const setSort = (sort: Sort) => updateSearch({ sort: sort === DEFAULT_SORT ? null : sort }, { replace: true });
export const openContact = (id: string | null) => updateSearch({ contact: id });
