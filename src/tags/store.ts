import type { Queryable } from "../db/db.ts";

/**
 * Makes sure these tags are in the catalogue (a new name joins it, an existing one keeps
 * its first spelling) and returns their ids.
 */
export async function ensureTags(tx: Queryable, workspaceId: string, names: string[]): Promise<string[]> {
  if (names.length === 0) return [];
  await tx.query(
    `insert into tags (workspace_id, name) select $1, n from unnest($2::text[]) n
     on conflict (workspace_id, lower(name)) do nothing`,
    [workspaceId, names],
  );
  const rows = await tx.query<{ id: string }>(
    "select id from tags where workspace_id = $1 and lower(name) = any($2::text[])",
    [workspaceId, names.map((n) => n.toLowerCase())],
  );
  return rows.map((r) => r.id);
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
