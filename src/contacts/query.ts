import type { Queryable } from "../db/db.ts";
import { IDENTITIES_JSON } from "../identities/sql.ts";
import type { Position } from "./cursor.ts";

/** What the list, the count and the export filter on. */
export interface ContactFilter {
  q?: string;
  /** Tag ids; a contact must carry all of them. */
  tagIds?: string[];
  language?: string;
  ids?: string[];
  /** Contacts with an identity on this channel. */
  channel?: string;
}

interface SortSpec {
  /** The SQL expression the index is on; the keyset compares it, then the id. */
  key: string;
  type: "timestamptz" | "text";
  /** Whether a search's matches cluster in this order (they do by name, not by time). */
  clustered?: boolean;
}

/** Each sort matches an index `(workspace_id, <key>, id)`, read forwards or backwards. */
export const SORTS: Record<string, SortSpec> = {
  createdAt: { key: "c.created_at", type: "timestamptz" },
  updatedAt: { key: "c.updated_at", type: "timestamptz" },
  lastSeenAt: { key: "coalesce(c.last_seen_at, '-infinity')", type: "timestamptz" },
  name: { key: "c.sort_name", type: "text", clustered: true },
};

export const SORT_VALUES = Object.keys(SORTS).flatMap((s) => [s, `-${s}`]);
export const DEFAULT_SORT = "-createdAt";

/** The columns that make a contact, its tags in name order included. */
export const CONTACT_COLUMNS = `c.id, c.first_name, c.last_name, c.email, c.phone, c.language, c.timezone,
  c.external_id, c.created_at, c.updated_at, c.last_seen_at, c.version,
  array(select t.name from tags t where t.workspace_id = c.workspace_id and t.id = any(c.tag_ids)
        order by lower(t.name)) as tags,
  ${IDENTITIES_JSON}`;

/** `%`, `_` and `\` in a search match themselves. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The digits of a search that looks like (part of) a phone number: "0612 345" → "0612345". */
export function phoneDigits(q: string): string | undefined {
  if (!/^[\d\s()+\-./]+$/.test(q)) return undefined;
  const digits = q.replace(/\D/g, "");
  return digits.length >= 3 ? digits : undefined;
}

/**
 * The WHERE clause of a filter, scoped to one workspace, with its parameters. Search
 * folds case and accents the way the indexed `search_text` column was folded.
 */
export function whereClause(workspaceId: string, filter: ContactFilter, params: unknown[] = []) {
  params.push(workspaceId);
  const conditions = [`c.workspace_id = $${params.length}`];
  const q = filter.q?.trim();
  if (q) {
    const digits = phoneDigits(q);
    const searches: string[] = [];
    // A number typed with spaces or brackets ("0612 345", "(020) 123") can only be a phone:
    // no name, address or id holds it so. Searching for the text as typed as well would
    // only cost time, since trigrams of a space and a digit are in almost every contact.
    if (!digits || !/[\s()+]/.test(q)) {
      params.push(`%${escapeLike(q)}%`);
      searches.push(`c.search_text like contacts_fold($${params.length})`);
    }
    if (digits && digits !== q) {
      params.push(`%${digits}%`);
      searches.push(`c.search_text like $${params.length}`);
    }
    conditions.push(searches.length > 1 ? `(${searches.join(" or ")})` : (searches[0] as string));
  }
  if (filter.language) {
    params.push(filter.language);
    conditions.push(`c.language = $${params.length}`);
  }
  for (const tagId of filter.tagIds ?? []) {
    params.push(tagId);
    conditions.push(`c.tag_ids @> array[$${params.length}::uuid]`);
  }
  if (filter.channel) {
    params.push(filter.channel);
    conditions.push(`exists (select 1 from contact_identities i
      where i.workspace_id = c.workspace_id and i.contact_id = c.id and i.channel = $${params.length})`);
  }
  if (filter.ids) {
    params.push(filter.ids);
    conditions.push(`c.id = any($${params.length}::uuid[])`);
  }
  return { where: conditions.join(" and "), params };
}

/** Up to this many matches, a search sorted by name is fetched whole and sorted (see below). */
export const NARROW_SEARCH = 50_000;

/**
 * The contacts a name fragment finds sit together in name order ("robe" → Roberts,
 * Robertson), so walking the name index until a page is full can pass half the list
 * (seconds at a million contacts). When a search finds at most NARROW_SEARCH contacts,
 * fetching them through the trigram index and sorting just those is quicker; a common
 * fragment ("an") fills a page within a short walk. Times spread matches evenly, so
 * time sorts leave the choice to the planner.
 */
export async function isNarrowSearch(db: Queryable, workspaceId: string, filter: ContactFilter, sort: string) {
  const spec = SORTS[sort.replace(/^-/, "")];
  if (!filter.q?.trim() || !spec?.clustered) return false;
  const { where, params } = whereClause(workspaceId, filter);
  params.push(NARROW_SEARCH + 1);
  const [row] = await db.query<{ n: number }>(
    `select count(*)::int as n from (select 1 from contacts c where ${where} limit $${params.length}) m`,
    params,
  );
  return (row?.n ?? 0) <= NARROW_SEARCH;
}

/**
 * One keyset page: contacts after `after` (and up to `until`, when given) in `sort` order,
 * plus their sort keys. A narrow search (isNarrowSearch) materialises its matches before
 * sorting them.
 */
export interface PageOptions {
  filter: ContactFilter;
  sort: string;
  limit: number;
  after?: Position;
  until?: Position;
  /** The select list; a contact's own columns (CONTACT_COLUMNS) unless given. */
  columns?: string;
  narrow?: boolean;
}

export function pageQuery(
  workspaceId: string,
  { filter, sort, limit, after, until, columns = CONTACT_COLUMNS, narrow = false }: PageOptions,
) {
  const descending = sort.startsWith("-");
  const spec = SORTS[descending ? sort.slice(1) : sort];
  if (!spec) throw new Error(`unknown sort ${sort}`);
  const { where, params } = whereClause(workspaceId, filter);
  let keyset = "";
  if (after) {
    params.push(after.key, after.id);
    const k = params.length - 1;
    keyset = ` and (${spec.key}, c.id) ${descending ? "<" : ">"} ($${k}::${spec.type}, $${k + 1}::uuid)`;
  }
  if (until) {
    params.push(until.key, until.id);
    const k = params.length - 1;
    keyset += ` and (${spec.key}, c.id) ${descending ? ">=" : "<="} ($${k}::${spec.type}, $${k + 1}::uuid)`;
  }
  params.push(limit);
  const direction = descending ? "desc" : "asc";
  const order = `order by ${spec.key} ${direction}, c.id ${direction} limit $${params.length}`;
  if (narrow) {
    const sql = `with matches as materialized (select * from contacts c where ${where}${keyset})
      select ${columns}, (${spec.key})::text as sort_key from matches c ${order}`;
    return { sql, params };
  }
  const sql = `select ${columns}, (${spec.key})::text as sort_key from contacts c where ${where}${keyset} ${order}`;
  return { sql, params };
}
