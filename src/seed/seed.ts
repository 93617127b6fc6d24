import { randomUUID } from "node:crypto";
import type { Db, Queryable } from "../db/db.ts";
import { maintainTables } from "../db/maintenance.ts";
import { createWorkspace, findWorkspaceBySlug, type Workspace } from "../workspaces/repository.ts";
import { generateContact, SEED_TAGS, type Timeline } from "./generate.ts";

export interface SeedProgress {
  /** Contacts written so far in this run. */
  added: number;
  /** Contacts asked for. */
  total: number;
  elapsedMs: number;
}

export interface SeedOptions {
  /** How many contacts to add. */
  count: number;
  /** Rows per INSERT; each batch is one statement. */
  batchSize?: number;
  onProgress?: (progress: SeedProgress) => void;
}

export interface SeedResult {
  workspace: Workspace;
  /** The index of the first contact generated in this run. */
  start: number;
  added: number;
  elapsedMs: number;
}

/** The workspace with this slug, created (with its starter tags) when it does not exist yet. */
export async function seedWorkspace(db: Db, slug: string): Promise<Workspace> {
  const existing = await findWorkspaceBySlug(db, slug);
  if (existing) return existing;
  return db.transaction((tx) => createWorkspace(tx, { name: slug, slug }));
}

async function seedTagIds(db: Queryable, workspaceId: string): Promise<Map<string, string>> {
  await db.query(
    `insert into tags (workspace_id, name) select $1, n from unnest($2::text[]) n
     on conflict (workspace_id, lower(name)) do nothing`,
    [workspaceId, SEED_TAGS],
  );
  const rows = await db.query<{ id: string; name: string }>(
    "select id, lower(name) as name from tags where workspace_id = $1 and lower(name) = any($2::text[])",
    [workspaceId, SEED_TAGS.map((t) => t.toLowerCase())],
  );
  return new Map(rows.map((r) => [r.name, r.id]));
}

// A contact's tags are its tag_ids, filled in here ("id id", sorted).
const CONTACT_INSERT = `insert into contacts (workspace_id, id, first_name, last_name, email, phone, phone_digits,
    language, timezone, external_id, created_at, updated_at, last_seen_at, tag_ids)
  select $1, u.id, u.first_name, u.last_name, u.email, u.phone, u.phone_digits, u.language, u.timezone,
    u.external_id, u.created_at, u.updated_at, u.last_seen_at, string_to_array(u.tag_ids, ' ')::uuid[]
  from unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
    $8::text[], $9::text[], $10::text[], $11::timestamptz[], $12::timestamptz[], $13::timestamptz[], $14::text[])
    as u(id, first_name, last_name, email, phone, phone_digits, language, timezone, external_id,
         created_at, updated_at, last_seen_at, tag_ids)
  on conflict do nothing
  returning id`;

interface Batch {
  params: unknown[];
}

function buildBatch(
  workspaceId: string,
  from: number,
  to: number,
  timeline: Timeline,
  tagIds: Map<string, string>,
): Batch {
  const columns: unknown[][] = Array.from({ length: 13 }, () => []);
  for (let index = from; index < to; index++) {
    const c = generateContact(index, timeline);
    const id = randomUUID();
    const contactTagIds = c.tags.map((tag) => tagIds.get(tag.toLowerCase()) as string);
    const values = [
      id,
      c.firstName,
      c.lastName,
      c.email,
      c.phone,
      c.phoneDigits,
      c.language,
      c.timezone,
      c.externalId,
      c.createdAt,
      c.updatedAt,
      c.lastSeenAt,
      contactTagIds.sort().join(" "),
    ];
    values.forEach((value, i) => {
      columns[i]?.push(value);
    });
  }
  return { params: [workspaceId, ...columns] };
}

async function writeBatch(db: Db, batch: Batch): Promise<number> {
  // A contact skipped for a clash with an existing one is not written (nor its tags).
  const inserted = await db.query<{ id: string }>(CONTACT_INSERT, batch.params);
  return inserted.length;
}

/**
 * Adds `count` generated contacts to a workspace in multi-row batches. It continues the
 * sequence after the contacts already there, so a second run adds new people; a generated
 * contact that would clash with an existing one (same e-mail, phone or external id) is
 * skipped rather than failing the run.
 */
export async function seedContacts(db: Db, workspace: Workspace, options: SeedOptions): Promise<SeedResult> {
  const began = performance.now();
  const batchSize = options.batchSize ?? (db.kind === "postgres" ? 5000 : 2000);
  const tagIds = await seedTagIds(db, workspace.id);
  const [row] = await db.query<{ n: number }>("select count(*)::int as n from contacts where workspace_id = $1", [
    workspace.id,
  ]);
  const start = row?.n ?? 0;
  const end = start + options.count;
  const timeline = { start, count: options.count };
  let added = 0;
  // Generate the next batch while the database writes the previous one.
  let pending: Promise<number> | undefined;
  for (let from = start; from < end; from += batchSize) {
    const batch = buildBatch(workspace.id, from, Math.min(from + batchSize, end), timeline, tagIds);
    if (pending) {
      added += await pending;
      options.onProgress?.({ added, total: options.count, elapsedMs: performance.now() - began });
    }
    pending = writeBatch(db, batch);
  }
  if (pending) {
    added += await pending;
    options.onProgress?.({ added, total: options.count, elapsedMs: performance.now() - began });
  }
  // Fresh statistics, so the planner picks the indexes for the new data at once.
  if (db.kind === "postgres" && added > 0) await db.query("analyze contacts");
  await maintainTables(db); // the embedded database: analyse and vacuum what the seed changed
  return { workspace, start, added, elapsedMs: performance.now() - began };
}
