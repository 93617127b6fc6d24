import { randomUUID } from "node:crypto";
import { type ContactFields, FIELD_COLUMNS } from "../contacts/input.ts";
import type { Queryable } from "../db/db.ts";
import { catalogueTags, linkTags } from "../tags/repository.ts";
import type { BatchCounts, OnDuplicate } from "./repository.ts";
import { type CheckedRow, creationError, describeErrors } from "./rows.ts";

/**
 * Writes one batch of checked rows in the caller's transaction, with a handful of
 * statements whatever the batch's size: one lookup of every contact the batch could
 * duplicate (by id, e-mail, phone or external id), one multi-row insert, one multi-row
 * update, and the tags. Earlier batches of the same file are already in the database, so
 * the lookup finds a row's duplicate wherever in the file it was.
 */
export interface BatchResult {
  counts: BatchCounts;
  rejected: { row: number; cells: string[]; error: string }[];
}

type Stored = Pick<ContactFields, "email" | "phone" | "externalId">;

/** A contact the batch touches: found in the database or created by a row of the batch. */
interface Target {
  id: string;
  isNew: boolean;
  keys: Stored;
  /** The fields the batch writes (a later row's non-blank cells win). */
  fields: Partial<ContactFields>;
  tags: Set<string>;
  /** `channel:address` → the identity to attach. */
  identities?: Map<string, { channel: string; address: string }>;
}

function addIdentities(target: Target, row: CheckedRow) {
  if (!row.identities?.length) return;
  target.identities ??= new Map();
  for (const identity of row.identities) target.identities.set(`${identity.channel}:${identity.address}`, identity);
}

const WRITTEN: (keyof ContactFields)[] = [
  "firstName",
  "lastName",
  "email",
  "phone",
  "phoneDigits",
  "language",
  "timezone",
  "externalId",
];

const emailKey = (email: string) => `e:${email.toLowerCase()}`;
const phoneKey = (phone: string) => `p:${phone}`;
const externalKey = (id: string) => `x:${id}`;

function keysOf(values: Partial<Stored>): string[] {
  const keys: string[] = [];
  if (values.email) keys.push(emailKey(values.email));
  if (values.phone) keys.push(phoneKey(values.phone));
  if (values.externalId) keys.push(externalKey(values.externalId));
  return keys;
}

export interface BatchOptions {
  workspaceId: string;
  onDuplicate: OnDuplicate;
  /** Tags every imported contact gets, besides those in its row. */
  tags: string[];
}

export async function writeBatch(tx: Queryable, rows: CheckedRow[], options: BatchOptions): Promise<BatchResult> {
  const { workspaceId } = options;
  const counts: BatchCounts = { rows: rows.length, created: 0, updated: 0, skipped: 0, failed: 0 };
  const rejected: BatchResult["rejected"] = [];
  const reject = (row: CheckedRow, error: string) => {
    counts.failed++;
    rejected.push({ row: row.row, cells: row.cells, error });
  };

  // While an import fills a new workspace, the statistics say the workspace is nearly
  // empty, and a plan made for its id (a custom plan) may read every contact of it once per
  // key: "where workspace_id = $1 and lower(email) = $2" walked the name index with a
  // filter, and a lookup of 2,000 keys took over a minute by 100,000 rows. A generic plan
  // knows only that the workspace is one of several, so it probes the unique indexes.
  await tx.query("set local plan_cache_mode = force_generic_plan");
  const valid = rows.filter((row) => {
    if (row.errors.length === 0) return true;
    reject(row, describeErrors(row.errors));
    return false;
  });

  const byKey = new Map<string, Target>();
  const byId = new Map<string, Target>();
  const remember = (target: Target) => {
    for (const key of keysOf(target.keys)) byKey.set(key, target);
  };
  for (const found of await lookup(tx, workspaceId, valid)) {
    const target: Target = {
      id: found.id,
      isNew: false,
      keys: { email: found.email, phone: found.phone, externalId: found.external_id },
      fields: {},
      tags: new Set(),
    };
    byId.set(target.id, target);
    remember(target);
  }

  for (const row of valid) {
    const matches = new Map<Target, string[]>();
    const match = (target: Target | undefined, how: string) => {
      if (target) matches.set(target, [...(matches.get(target) ?? []), how]);
    };
    if (row.id) match(byId.get(row.id), "ID");
    if (row.fields.email) match(byKey.get(emailKey(row.fields.email)), "email");
    if (row.fields.phone) match(byKey.get(phoneKey(row.fields.phone)), "phone");
    if (row.fields.externalId) match(byKey.get(externalKey(row.fields.externalId)), "external ID");

    if (matches.size > 1) {
      const which = [...matches.values()].map((hows) => hows.join(" and ")).join(", another by ");
      reject(row, `row: matches two different contacts: one by ${which}`);
      continue;
    }
    const [target] = matches.keys();
    if (target) {
      if (options.onDuplicate === "skip") {
        counts.skipped++;
        continue;
      }
      for (const key of keysOf(target.keys)) byKey.delete(key);
      Object.assign(target.fields, row.fields);
      for (const field of ["email", "phone", "externalId"] as const) {
        if (row.fields[field]) target.keys[field] = row.fields[field];
      }
      remember(target);
      for (const tag of [...row.tags, ...options.tags]) target.tags.add(tag);
      addIdentities(target, row);
      counts.updated++;
      continue;
    }
    const missing = creationError(row);
    if (missing) {
      reject(row, describeErrors([missing]));
      continue;
    }
    const created: Target = {
      id: timeOrderedId(),
      isNew: true,
      keys: {
        email: row.fields.email ?? null,
        phone: row.fields.phone ?? null,
        externalId: row.fields.externalId ?? null,
      },
      fields: { ...row.fields },
      tags: new Set([...row.tags, ...options.tags]),
    };
    addIdentities(created, row);
    byId.set(created.id, created);
    remember(created);
    counts.created++;
  }

  const targets = [...byId.values()];
  const tagIds = await catalogueBatchTags(tx, workspaceId, targets);
  await insertContacts(
    tx,
    workspaceId,
    targets.filter((t) => t.isNew),
    tagIds,
  );
  const changed = await updateContacts(
    tx,
    workspaceId,
    targets.filter((t) => !t.isNew && Object.keys(t.fields).length > 0),
  );
  await tagContacts(tx, workspaceId, targets, tagIds, changed);
  await identifyContacts(tx, workspaceId, targets, changed);
  return { counts, rejected };
}

/**
 * Attaches the batch's identities. One another contact holds stays with that contact (an
 * import never moves an address from one person to another); a contact that gains one is
 * a new version.
 */
async function identifyContacts(tx: Queryable, workspaceId: string, targets: Target[], changed: Set<string>) {
  const contactIds: string[] = [];
  const channels: string[] = [];
  const addresses: string[] = [];
  for (const target of targets) {
    for (const identity of target.identities?.values() ?? []) {
      contactIds.push(target.id);
      channels.push(identity.channel);
      addresses.push(identity.address);
    }
  }
  if (contactIds.length === 0) return;
  const added = await tx.query<{ contact_id: string }>(
    `insert into contact_identities (workspace_id, contact_id, channel, address)
     select $1, c, ch, a from unnest($2::uuid[], $3::text[], $4::text[]) as u(c, ch, a)
     on conflict do nothing returning contact_id`,
    [workspaceId, contactIds, channels, addresses],
  );
  const newIds = new Set(targets.filter((t) => t.isNew).map((t) => t.id));
  const bump = [...new Set(added.map((r) => r.contact_id))].filter((id) => !changed.has(id) && !newIds.has(id));
  if (bump.length) {
    await tx.query(
      "update contacts set version = version + 1, updated_at = now() where workspace_id = $1 and id = any($2::uuid[])",
      [workspaceId, bump],
    );
  }
}

/**
 * A version 7 UUID (RFC 9562): the time in milliseconds, then random bits. A batch's new
 * contacts land side by side at the end of the `(workspace_id, id)` index, and their tags
 * beside them, instead of on a random page each: an import of a million rows reads far
 * fewer index pages than it would with random ids.
 */
export function timeOrderedId(): string {
  // randomUUID draws from a cached pool of entropy; randomBytes(16) would ask the system
  // once per row. Its version 4 layout is rewritten to version 7: the first 48 bits
  // become the time, the version digit a 7; its variant bits are already RFC 9562's.
  const random = randomUUID();
  const time = Date.now().toString(16).padStart(12, "0");
  return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(15)}`;
}

interface Found {
  id: string;
  email: string | null;
  phone: string | null;
  external_id: string | null;
}

async function lookup(tx: Queryable, workspaceId: string, rows: CheckedRow[]): Promise<Found[]> {
  const emails = new Set<string>();
  const phones = new Set<string>();
  const externalIds = new Set<string>();
  const ids = new Set<string>();
  for (const row of rows) {
    if (row.fields.email) emails.add(row.fields.email.toLowerCase());
    if (row.fields.phone) phones.add(row.fields.phone);
    if (row.fields.externalId) externalIds.add(row.fields.externalId);
    if (row.id) ids.add(row.id);
  }
  if (emails.size + phones.size + externalIds.size + ids.size === 0) return [];
  // One probe of a unique index per key (a lateral `limit 1`; the generic plan set above
  // keeps the planner from reading the workspace instead). An ID of another workspace
  // finds nothing here.
  const probe = (keys: string, type: string, where: string) =>
    `select c.id, c.email, c.phone, c.external_id from unnest(${keys}::${type}[]) as k(v)
     cross join lateral (select id, email, phone, external_id from contacts
       where workspace_id = $1 and ${where} = k.v limit 1) as c`;
  return tx.query<Found>(
    [
      probe("$2", "text", "lower(email)"),
      probe("$3", "text", "phone"),
      probe("$4", "text", "external_id"),
      probe("$5", "uuid", "id"),
    ].join("\n union "),
    [workspaceId, [...emails], [...phones], [...externalIds], [...ids]],
  );
}

function columnArrays(targets: Target[]) {
  return WRITTEN.map((field) => targets.map((t) => (t.fields[field] as string | null | undefined) ?? null));
}

/** The ids of a target's tags, sorted as the contacts' tag_ids are ("id id"). */
function tagIdList(target: Target, tagIds: Map<string, string>): string {
  // "Sales" and "sales" in one contact's tags are one tag.
  const ids = new Set<string>();
  for (const tag of target.tags) {
    const id = tagIds.get(tag.toLowerCase());
    if (id) ids.add(id);
  }
  return [...ids].sort().join(" ");
}

/** New contacts go in with their tag ids filled in. */
async function insertContacts(tx: Queryable, workspaceId: string, targets: Target[], tagIds: Map<string, string>) {
  if (targets.length === 0) return;
  const columns = WRITTEN.map((f) => FIELD_COLUMNS[f]);
  await tx.query(
    `insert into contacts (workspace_id, id, ${columns.join(", ")}, tag_ids)
     select $1, v.id, ${columns.map((c) => `v.${c}`).join(", ")}, string_to_array(v.tag_ids, ' ')::uuid[]
     from unnest($2::uuid[], ${WRITTEN.map((_, i) => `$${i + 3}::text[]`).join(", ")}, $${WRITTEN.length + 3}::text[])
       as v(id, ${columns.join(", ")}, tag_ids)`,
    [workspaceId, targets.map((t) => t.id), ...columnArrays(targets), targets.map((t) => tagIdList(t, tagIds))],
  );
}

/**
 * Writes the non-blank fields of each updated contact; a contact whose values are all
 * the same already keeps its version. Returns the ids of the contacts that changed.
 */
async function updateContacts(tx: Queryable, workspaceId: string, targets: Target[]): Promise<Set<string>> {
  if (targets.length === 0) return new Set();
  const names = WRITTEN.map((f) => FIELD_COLUMNS[f]);
  const merged = names.map((c) => `coalesce(v.${c}, c.${c})`);
  const rows = await tx.query<{ id: string }>(
    `update contacts c set ${names.map((c, i) => `${c} = ${merged[i]}`).join(", ")},
       version = c.version + 1, updated_at = now()
     from unnest($2::uuid[], ${WRITTEN.map((_, i) => `$${i + 3}::text[]`).join(", ")}) as v(id, ${names.join(", ")})
     where c.workspace_id = $1 and c.id = v.id
       and (${names.map((c) => `c.${c}`).join(", ")}) is distinct from (${merged.join(", ")})
     returning c.id`,
    [workspaceId, targets.map((t) => t.id), ...columnArrays(targets)],
  );
  return new Set(rows.map((r) => r.id));
}

/** The ids of the batch's tags by lower-cased name; new names join the catalogue. */
function catalogueBatchTags(tx: Queryable, workspaceId: string, targets: Target[]): Promise<Map<string, string>> {
  return catalogueTags(
    tx,
    workspaceId,
    targets.flatMap((target) => [...target.tags]),
  );
}

/** Adds the batch's tags; a contact that gains one is a new version. */
async function tagContacts(
  tx: Queryable,
  workspaceId: string,
  targets: Target[],
  tagIds: Map<string, string>,
  changed: Set<string>,
) {
  if (tagIds.size === 0) return;
  const contactIds: string[] = [];
  const linked: string[] = [];
  // A new contact went in with its tags already.
  for (const target of targets) {
    if (target.isNew) continue;
    for (const tag of target.tags) {
      const id = tagIds.get(tag.toLowerCase());
      if (!id) continue;
      contactIds.push(target.id);
      linked.push(id);
    }
  }
  const added = await linkTags(tx, workspaceId, { contactIds, tagIds: linked });
  const bump = [...added].filter((id) => !changed.has(id));
  if (bump.length) {
    await tx.query(
      "update contacts set version = version + 1, updated_at = now() where workspace_id = $1 and id = any($2::uuid[])",
      [workspaceId, bump],
    );
  }
}
