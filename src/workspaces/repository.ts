import { randomBytes } from "node:crypto";
import type { Queryable } from "../db/db.ts";

export interface Workspace {
  id: string;
  slug: string;
  name: string;
  defaultCountry: string;
  languages: string[];
  cursorSecret: Buffer;
}

export const WORKSPACE_COLUMNS =
  "w.id as workspace_id, w.slug, w.name as workspace_name, w.default_country, w.languages, w.cursor_secret";

export interface WorkspaceRow {
  workspace_id: string;
  slug: string;
  workspace_name: string;
  default_country: string;
  languages: string[];
  cursor_secret: Buffer | Uint8Array;
}

export function workspaceFromRow(row: WorkspaceRow): Workspace {
  return {
    id: row.workspace_id,
    slug: row.slug,
    name: row.workspace_name,
    defaultCountry: row.default_country,
    languages: row.languages,
    cursorSecret: Buffer.from(row.cursor_secret),
  };
}

export const publicWorkspace = (w: Workspace) => ({
  id: w.id,
  slug: w.slug,
  name: w.name,
  defaultCountry: w.defaultCountry,
  languages: w.languages,
});

/** The tags every new workspace starts with: the Inbox's quick tags. */
export const STARTER_TAGS = ["Sales", "Support", "Billing"];

/** "Zoë's Bakery & Co" → "zoes-bakery-co". */
export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/, "");
  return slug || "workspace";
}

export async function createWorkspace(
  tx: Queryable,
  input: { name: string; slug?: string; defaultCountry?: string; languages?: string[] },
): Promise<Workspace> {
  const base = input.slug ?? slugify(input.name);
  const taken = await tx.query<{ slug: string }>("select slug from workspaces where slug = $1 or slug like $2", [
    base,
    `${base}-%`,
  ]);
  const slugs = new Set(taken.map((r) => r.slug));
  let slug = base;
  for (let n = 2; slugs.has(slug); n++) slug = `${base}-${n}`;
  const [row] = await tx.query<WorkspaceRow>(
    `insert into workspaces as w (slug, name, default_country, languages, cursor_secret)
     values ($1, $2, coalesce($3, 'NL'), coalesce($4::text[], '{en}'), $5)
     returning ${WORKSPACE_COLUMNS}`,
    [slug, input.name, input.defaultCountry ?? null, input.languages ?? null, randomBytes(32)],
  );
  const workspace = workspaceFromRow(row as WorkspaceRow);
  await tx.query("insert into tags (workspace_id, name) select $1, unnest($2::text[])", [workspace.id, STARTER_TAGS]);
  return workspace;
}

export async function findWorkspaceBySlug(db: Queryable, slug: string): Promise<Workspace | undefined> {
  const [row] = await db.query<WorkspaceRow>(`select ${WORKSPACE_COLUMNS} from workspaces w where slug = $1`, [slug]);
  return row && workspaceFromRow(row);
}

export async function updateWorkspace(
  db: Queryable,
  id: string,
  changes: { name?: string; defaultCountry?: string; languages?: string[] },
): Promise<Workspace> {
  const [row] = await db.query<WorkspaceRow>(
    `update workspaces w set name = coalesce($2, name), default_country = coalesce($3, default_country),
       languages = coalesce($4::text[], languages)
     where id = $1 returning ${WORKSPACE_COLUMNS}`,
    [id, changes.name ?? null, changes.defaultCountry ?? null, changes.languages ?? null],
  );
  return workspaceFromRow(row as WorkspaceRow);
}

/** Serialises first-run setups in one transaction: two racing must not both succeed. */
export async function lockSetup(tx: Queryable) {
  await tx.query("select pg_advisory_xact_lock(72634002)");
}

/** Whether any workspace exists: none means a new server, which only first-run setup can open. */
export async function anyWorkspaceExists(db: Queryable): Promise<boolean> {
  const [row] = await db.query<{ exists: boolean }>("select exists (select 1 from workspaces) as exists");
  return row?.exists ?? false;
}
