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
  const rows = await tx.query<{ id: string; key: string }>(
    "select id, lower(name) as key from tags where workspace_id = $1 and lower(name) = any($2::text[])",
    [workspaceId, [...spelling.keys()]],
  );
  return new Map(rows.map((r) => [r.key, r.id]));
}

/** Links contacts to tags, pair by pair; returns the contacts that gained a tag. */
export async function linkTags(
  tx: Queryable,
  workspaceId: string,
  links: { contactIds: string[]; tagIds: string[] },
): Promise<Set<string>> {
  if (links.contactIds.length === 0) return new Set();
  const added = await tx.query<{ contact_id: string }>(
    `insert into contact_tags (workspace_id, contact_id, tag_id)
     select $1, c, t from unnest($2::uuid[], $3::uuid[]) as u(c, t)
     on conflict do nothing returning contact_id`,
    [workspaceId, links.contactIds, links.tagIds],
  );
  return new Set(added.map((r) => r.contact_id));
}

/** Adds a tag to the catalogue; false when the name (in any case) is taken. */
export async function insertTag(tx: Queryable, workspaceId: string, name: string): Promise<boolean> {
  const rows = await tx.query(
    "insert into tags (workspace_id, name) values ($1, $2) on conflict (workspace_id, lower(name)) do nothing returning id",
    [workspaceId, name],
  );
  return rows.length > 0;
}

/** Deletes a tag from the catalogue and every contact; its name as it was, or undefined. */
export async function deleteTag(tx: Queryable, workspaceId: string, name: string): Promise<string | undefined> {
  const rows = await tx.query<{ name: string }>(
    "delete from tags where workspace_id = $1 and lower(name) = lower($2) returning name",
    [workspaceId, name],
  );
  return rows[0]?.name;
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

async function attach(tx: Queryable, workspaceId: string, contactId: string, tagIds: string[]) {
  if (tagIds.length === 0) return;
  await tx.query(
    `insert into contact_tags (workspace_id, contact_id, tag_id) select $1, $2, unnest($3::uuid[])
     on conflict do nothing`,
    [workspaceId, contactId, tagIds],
  );
}

export async function addTags(tx: Queryable, workspaceId: string, contactId: string, names: string[]) {
  await attach(tx, workspaceId, contactId, await ensureTags(tx, workspaceId, names));
}

export async function replaceTags(tx: Queryable, workspaceId: string, contactId: string, names: string[]) {
  const ids = await ensureTags(tx, workspaceId, names);
  await tx.query(
    "delete from contact_tags where workspace_id = $1 and contact_id = $2 and not (tag_id = any($3::uuid[]))",
    [workspaceId, contactId, ids],
  );
  await attach(tx, workspaceId, contactId, ids);
}

export async function removeTag(tx: Queryable, workspaceId: string, contactId: string, name: string): Promise<boolean> {
  const rows = await tx.query(
    `delete from contact_tags ct using tags t
     where ct.workspace_id = $1 and ct.contact_id = $2 and t.workspace_id = ct.workspace_id
       and t.id = ct.tag_id and lower(t.name) = lower($3)
     returning ct.tag_id`,
    [workspaceId, contactId, name.trim()],
  );
  return rows.length > 0;
}

export async function listTags(db: Queryable, workspaceId: string) {
  return db.query<{ name: string; contactCount: number }>(
    `select t.name, (select count(*) from contact_tags ct where ct.workspace_id = t.workspace_id and ct.tag_id = t.id)::int as "contactCount"
     from tags t where t.workspace_id = $1 order by lower(t.name)`,
    [workspaceId],
  );
}
