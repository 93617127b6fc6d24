import type { Queryable } from "../db/db.ts";

/**
 * Makes sure these tags are in the catalogue (a new name joins it, an existing one keeps
 * its first spelling) and returns their ids.
 */
export async function ensureTags(tx: Queryable, workspaceId: string, names: string[]): Promise<string[]> {
  return [...(await catalogueTags(tx, workspaceId, names)).values()];
}

/**
 * Like ensureTags, for many names at once (an import batch): the ids by lower-cased name.
 * The first spelling of a name among `names` is the one a new tag gets.
 */
export async function catalogueTags(tx: Queryable, workspaceId: string, names: Iterable<string>) {
  const spelling = new Map<string, string>();
  for (const name of names) if (!spelling.has(name.toLowerCase())) spelling.set(name.toLowerCase(), name);
  if (spelling.size === 0) return new Map<string, string>();
  await tx.query(
    `insert into tags (workspace_id, name) select $1, n from unnest($2::text[]) n
     on conflict (workspace_id, lower(name)) do nothing`,
    [workspaceId, [...spelling.values()]],
  );
  // Held until commit, as a reference to the tag: a deleteTag of it waits for this
  // transaction, and then removes the id from the contacts it tagged.
  const rows = await tx.query<{ id: string; key: string }>(
    "select id, lower(name) as key from tags where workspace_id = $1 and lower(name) = any($2::text[]) for key share",
    [workspaceId, [...spelling.keys()]],
  );
  return new Map(rows.map((r) => [r.key, r.id]));
}

/**
 * Adds tags to contacts, pair by pair, in their tag_ids; returns the contacts that gained
 * a tag. The contacts are locked first, in key order, so two batches touching the same
 * contacts wait for each other instead of deadlocking.
 */
export async function linkTags(
  tx: Queryable,
  workspaceId: string,
  links: { contactIds: string[]; tagIds: string[] },
): Promise<Set<string>> {
  if (links.contactIds.length === 0) return new Set();
  await tx.query("select 1 from contacts where workspace_id = $1 and id = any($2::uuid[]) order by id for update", [
    workspaceId,
    [...new Set(links.contactIds)],
  ]);
  const added = await tx.query<{ id: string }>(
    `update contacts c set tag_ids = array(select distinct x from unnest(c.tag_ids || v.ids) x order by x)
     from (select u.c, array_agg(u.t) as ids from unnest($2::uuid[], $3::uuid[]) as u(c, t) group by u.c) v
     where c.workspace_id = $1 and c.id = v.c and not (c.tag_ids @> v.ids)
     returning c.id`,
    [workspaceId, links.contactIds, links.tagIds],
  );
  return new Set(added.map((r) => r.id));
}

/** Adds a tag to the catalogue; false when the name (in any case) is taken. */
export async function insertTag(tx: Queryable, workspaceId: string, name: string): Promise<boolean> {
  const rows = await tx.query(
    "insert into tags (workspace_id, name) values ($1, $2) on conflict (workspace_id, lower(name)) do nothing returning id",
    [workspaceId, name],
  );
  return rows.length > 0;
}

/**
 * Deletes a tag from the catalogue and removes its id from every contact carrying it, in
 * the caller's transaction; its name as it was, or undefined. The contacts keep their
 * version and updatedAt (the tag went, not a change to them). The tag row goes first: a
 * transaction tagging a contact with it holds the row (see catalogueTags), so this waits
 * for that one to commit, and the update that follows, a statement of its own, sees its
 * contacts.
 */
export async function deleteTag(tx: Queryable, workspaceId: string, name: string): Promise<string | undefined> {
  const rows = await tx.query<{ id: string; name: string }>(
    "delete from tags where workspace_id = $1 and lower(name) = lower($2) returning id, name",
    [workspaceId, name],
  );
  const tag = rows[0];
  if (!tag) return undefined;
  await tx.query(
    "update contacts set tag_ids = array_remove(tag_ids, $2::uuid) where workspace_id = $1 and tag_ids @> array[$2::uuid]",
    [workspaceId, tag.id],
  );
  return tag.name;
}

/** The ids of tags by name (any case); undefined when one of them does not exist. */
export async function findTagIds(db: Queryable, workspaceId: string, names: string[]): Promise<string[] | undefined> {
  const lower = [...new Set(names.map((n) => n.trim().toLowerCase()))];
  if (lower.length === 0) return [];
  const rows = await db.query<{ id: string }>(
    "select id from tags where workspace_id = $1 and lower(name) = any($2::text[])",
    [workspaceId, lower],
  );
  return rows.length === lower.length ? rows.map((r) => r.id) : undefined;
}

/** Adds tags to a contact (the caller holds its row lock). */
export async function addTags(tx: Queryable, workspaceId: string, contactId: string, names: string[]) {
  const ids = await ensureTags(tx, workspaceId, names);
  if (ids.length === 0) return;
  await tx.query(
    `update contacts set tag_ids = array(select distinct x from unnest(tag_ids || $3::uuid[]) x order by x)
     where workspace_id = $1 and id = $2`,
    [workspaceId, contactId, ids],
  );
}

/** Makes these the contact's tags (the caller holds its row lock). */
export async function replaceTags(tx: Queryable, workspaceId: string, contactId: string, names: string[]) {
  const ids = await ensureTags(tx, workspaceId, names);
  await tx.query(
    `update contacts set tag_ids = array(select distinct x from unnest($3::uuid[]) x order by x)
     where workspace_id = $1 and id = $2`,
    [workspaceId, contactId, ids],
  );
}

/** Takes a tag (by name, any case) off a contact; false when the contact does not carry it. */
export async function removeTag(tx: Queryable, workspaceId: string, contactId: string, name: string): Promise<boolean> {
  const rows = await tx.query(
    `update contacts c set tag_ids = array_remove(c.tag_ids, t.id) from tags t
     where c.workspace_id = $1 and c.id = $2 and t.workspace_id = c.workspace_id
       and lower(t.name) = lower($3) and t.id = any(c.tag_ids)
     returning c.id`,
    [workspaceId, contactId, name.trim()],
  );
  return rows.length > 0;
}

/** The catalogue with each tag's number of contacts, counted from tag_ids in one pass. */
export async function listTags(db: Queryable, workspaceId: string) {
  return db.query<{ name: string; contactCount: number }>(
    `select t.name, coalesce(n.count, 0)::int as "contactCount"
     from tags t
     left join (select x.id, count(*) as count from contacts c, unnest(c.tag_ids) as x(id)
                where c.workspace_id = $1 group by x.id) n on n.id = t.id
     where t.workspace_id = $1 order by lower(t.name)`,
    [workspaceId],
  );
}
