import type { Actor } from "../audit/store.ts";
import { recordEvent } from "../audit/store.ts";
import { constraintOf, type Db, type Queryable, sqlState } from "../db/db.ts";
import { invalid, notFound, Problem } from "../http/problem.ts";
import { addTags, findTagIds, removeTag, replaceTags } from "../tags/store.ts";
import type { Workspace } from "../workspaces/store.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { type ContactFields, type ContactInput, FIELD_COLUMNS, identityError, normaliseContact } from "./input.ts";
import { CONTACT_COLUMNS, type ContactFilter, isNarrowSearch, pageQuery, whereClause } from "./query.ts";

/** A contact as the API shows it. */
export interface Contact {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  language: string | null;
  timezone: string | null;
  externalId: string | null;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  lastSeenAt: string | null;
  version: number;
  identities: { channel: string; address: string; lastSeenAt: string | null }[];
}

export interface ContactRow {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  language: string | null;
  timezone: string | null;
  external_id: string | null;
  created_at: string;
  updated_at: string;
  last_seen_at: string | null;
  version: number;
  tags: string[];
  identities?: Contact["identities"];
}

export function contactFromRow(row: ContactRow): Contact {
  return {
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    phone: row.phone,
    language: row.language,
    timezone: row.timezone,
    externalId: row.external_id,
    tags: row.tags,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastSeenAt: row.last_seen_at,
    version: row.version,
    identities: row.identities ?? [],
  };
}

/** A contact row (selected with CONTACT_COLUMNS as `alias`) as the API's JSON, for the audit log. */
const auditJson = (alias: string) => `jsonb_build_object('id', ${alias}.id, 'firstName', ${alias}.first_name,
  'lastName', ${alias}.last_name, 'email', ${alias}.email, 'phone', ${alias}.phone, 'language', ${alias}.language,
  'timezone', ${alias}.timezone, 'externalId', ${alias}.external_id, 'tags', ${alias}.tags,
  'createdAt', ${alias}.created_at, 'updatedAt', ${alias}.updated_at, 'lastSeenAt', ${alias}.last_seen_at,
  'version', ${alias}.version)`;

const UNIQUE_FIELDS: Record<string, "email" | "phone" | "externalId"> = {
  contacts_email_key: "email",
  contacts_phone_key: "phone",
  contacts_external_id_key: "externalId",
};

/**
 * The field whose unique index refused a write. On a partitioned (or Citus-distributed)
 * table the error names the partition's (or shard's) index, not ours, so the key columns
 * in the error's detail ("Key (workspace_id, phone)=(…) already exists.") decide then.
 */
function uniqueFieldOf(error: unknown): "email" | "phone" | "externalId" | undefined {
  const byName = UNIQUE_FIELDS[constraintOf(error) ?? ""];
  if (byName) return byName;
  const detail = typeof error === "object" && error !== null ? String((error as { detail?: unknown }).detail) : "";
  const columns = /^Key \((.*?)\)=/
    .exec(detail)?.[1]
    ?.split(",")
    .map((c) => c.trim());
  if (columns?.[0] !== "workspace_id" || columns.length !== 2) return undefined;
  return ({ "lower(email)": "email", phone: "phone", external_id: "externalId" } as const)[columns[1] as string];
}

const FIELD_NAMES = { email: "e-mail address", phone: "phone number", externalId: "external id" };

/** A unique index refused the write: find who holds the value, for a 409 that names both. */
async function conflict(
  db: Queryable,
  workspaceId: string,
  error: unknown,
  fields: Partial<ContactFields>,
  selfId?: string,
) {
  const field = uniqueFieldOf(error);
  if (!field) throw error;
  const value = fields[field];
  const [row] = await db.query<{ id: string }>(
    `select id from contacts where workspace_id = $1 and ${field === "email" ? "lower(email) = lower($2)" : `${FIELD_COLUMNS[field]} = $2`}
     and id <> coalesce($3::uuid, '00000000-0000-0000-0000-000000000000') limit 1`,
    [workspaceId, value, selfId ?? null],
  );
  return new Problem(409, `Another contact of this workspace already has this ${FIELD_NAMES[field]}.`, {
    field,
    conflictingContactId: row?.id ?? null,
    errors: [{ field, message: `is already used by another contact` }],
  });
}

async function loadContact(db: Queryable, workspaceId: string, id: string, lock = false): Promise<Contact | undefined> {
  const [row] = await db.query<ContactRow>(
    `select ${CONTACT_COLUMNS} from contacts c where c.workspace_id = $1 and c.id = $2${lock ? " for update" : ""}`,
    [workspaceId, id],
  );
  return row && contactFromRow(row);
}

export async function getContact(db: Queryable, workspaceId: string, id: string): Promise<Contact> {
  const contact = await loadContact(db, workspaceId, id);
  if (!contact) throw notFound("contact");
  return contact;
}

function checked(input: ContactInput, workspace: Workspace) {
  const result = normaliseContact(input, workspace.defaultCountry);
  if (result.errors.length) throw invalid(result.errors);
  return result;
}

export async function createContact(db: Db, workspace: Workspace, actor: Actor, input: ContactInput): Promise<Contact> {
  const { fields, tags } = checked(input, workspace);
  const missing = identityError(fields);
  if (missing) throw invalid([missing]);
  const keys = Object.keys(fields) as (keyof ContactFields)[];
  const params = [workspace.id, ...keys.map((k) => fields[k])];
  const insert = `insert into contacts as c (workspace_id${keys.map((k) => `, ${FIELD_COLUMNS[k]}`).join("")})
    values ($1${keys.map((_, i) => `, $${i + 2}`).join("")}) returning ${CONTACT_COLUMNS}`;
  try {
    if (!tags?.length) {
      // The usual create (a bot reporting a new contact): the contact and its audit row in
      // one statement, which commits both or neither, in one round trip.
      const n = params.length;
      const [row] = await db.query<ContactRow>(
        `with created as (${insert}), audit as (
           insert into audit_events (workspace_id, action, actor_type, actor_id, contact_id, after)
           select $1, 'contact.created', $${n + 1}, $${n + 2}, created.id, ${auditJson("created")} from created)
         select * from created`,
        [...params, actor.type, actor.id],
      );
      return contactFromRow(row as ContactRow);
    }
    return await db.transaction(async (tx) => {
      const [row] = await tx.query<ContactRow>(insert, params);
      const id = (row as ContactRow).id;
      await addTags(tx, workspace.id, id, tags);
      const contact = (await loadContact(tx, workspace.id, id)) as Contact;
      await recordEvent(tx, workspace.id, actor, "contact.created", { contactId: id, after: contact });
      return contact;
    });
  } catch (error) {
    if (sqlState(error) === "23505") throw await conflict(db, workspace.id, error, fields);
    throw error;
  }
}

/** The version an `If-Match` header names, `*` for any, or undefined when absent. */
export function parseIfMatch(header: string | undefined): number | "*" | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === "*") return "*";
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value);
  if (!match) {
    throw new Problem(400, 'If-Match must be a version in quotes, as the ETag gave it ("3").', {
      errors: [{ field: "If-Match", message: "is malformed" }],
    });
  }
  return Number(match[1]);
}

const staleVersion = (current: Contact) =>
  new Problem(412, `The contact was changed meanwhile: it is at version ${current.version} now. Nothing was changed.`, {
    currentVersion: current.version,
  });

/**
 * Runs one change to a contact in a transaction: locks the row, checks `If-Match`, lets
 * `change` write, bumps the version and records the before and after.
 */
async function changeContact(
  db: Db,
  workspace: Workspace,
  actor: Actor,
  id: string,
  ifMatch: number | "*" | undefined,
  action: string,
  change: (tx: Queryable, before: Contact) => Promise<void>,
  fields: Partial<ContactFields> = {},
): Promise<Contact> {
  try {
    return await db.transaction(async (tx) => {
      const before = await loadContact(tx, workspace.id, id, true);
      if (!before) throw notFound("contact");
      if (typeof ifMatch === "number" && ifMatch !== before.version) throw staleVersion(before);
      await change(tx, before);
      await tx.query(
        "update contacts set version = version + 1, updated_at = now() where workspace_id = $1 and id = $2",
        [workspace.id, id],
      );
      const after = (await loadContact(tx, workspace.id, id)) as Contact;
      await recordEvent(tx, workspace.id, actor, action, { contactId: id, ...changedFields(before, after) });
      return after;
    });
  } catch (error) {
    if (sqlState(error) === "23505") throw await conflict(db, workspace.id, error, fields, id);
    throw error;
  }
}

/** The fields that differ, before and after, for the audit log. */
function changedFields(before: Contact, after: Contact) {
  const was: Record<string, unknown> = {};
  const now: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof Contact)[]) {
    if (key === "updatedAt" || key === "version") continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      was[key] = before[key];
      now[key] = after[key];
    }
  }
  return { before: was, after: now };
}

export async function patchContact(
  db: Db,
  workspace: Workspace,
  actor: Actor,
  id: string,
  input: ContactInput,
  ifMatch: number | "*" | undefined,
): Promise<Contact> {
  const { fields, tags } = checked(input, workspace);
  const keys = Object.keys(fields) as (keyof ContactFields)[];
  return changeContact(
    db,
    workspace,
    actor,
    id,
    ifMatch,
    "contact.updated",
    async (tx, before) => {
      const missing = identityError({ ...before, ...fields });
      if (missing) throw invalid([missing]);
      if (keys.length) {
        await tx.query(
          `update contacts set ${keys.map((k, i) => `${FIELD_COLUMNS[k]} = $${i + 3}`).join(", ")}
           where workspace_id = $1 and id = $2`,
          [workspace.id, id, ...keys.map((k) => fields[k])],
        );
      }
      if (tags) await replaceTags(tx, workspace.id, id, tags);
    },
    fields,
  );
}

export async function deleteContact(
  db: Db,
  workspace: Workspace,
  actor: Actor,
  id: string,
  ifMatch: number | "*" | undefined,
) {
  await db.transaction(async (tx) => {
    const before = await loadContact(tx, workspace.id, id, true);
    if (!before) throw notFound("contact");
    if (typeof ifMatch === "number" && ifMatch !== before.version) throw staleVersion(before);
    await tx.query("delete from contacts where workspace_id = $1 and id = $2", [workspace.id, id]);
    await recordEvent(tx, workspace.id, actor, "contact.deleted", { contactId: id, before });
  });
}

export type TagChange = { kind: "replace" | "add"; tags: string[] } | { kind: "remove"; tag: string };

export async function changeContactTags(
  db: Db,
  workspace: Workspace,
  actor: Actor,
  id: string,
  change: TagChange,
  ifMatch: number | "*" | undefined,
): Promise<Contact> {
  return changeContact(db, workspace, actor, id, ifMatch, "contact.tagged", async (tx) => {
    if (change.kind === "remove") {
      if (!(await removeTag(tx, workspace.id, id, change.tag))) throw notFound("tag on this contact");
    } else if (change.kind === "replace") await replaceTags(tx, workspace.id, id, change.tags);
    else await addTags(tx, workspace.id, id, change.tags);
  });
}

export interface ListRequest {
  q?: string;
  tag?: string[];
  language?: string;
  channel?: string;
  sort: string;
  limit: number;
  cursor?: string;
}

/** Turns the list's query parameters into a filter; undefined when a tag does not exist (nothing matches). */
export async function resolveFilter(
  db: Queryable,
  workspaceId: string,
  request: { q?: string; tag?: string[]; language?: string; ids?: string[]; channel?: string },
): Promise<ContactFilter | undefined> {
  const tagIds = request.tag?.length ? await findTagIds(db, workspaceId, request.tag) : [];
  if (!tagIds) return undefined;
  return { q: request.q, tagIds, language: request.language, ids: request.ids, channel: request.channel };
}

export async function listContacts(db: Queryable, workspace: Workspace, request: ListRequest) {
  const after = request.cursor ? decodeCursor(workspace.cursorSecret, request.cursor, request.sort) : undefined;
  const filter = await resolveFilter(db, workspace.id, request);
  if (!filter) return { items: [], nextCursor: null };
  const narrow = await isNarrowSearch(db, workspace.id, filter, request.sort);
  const { sql, params } = pageQuery(workspace.id, filter, request.sort, request.limit + 1, after, undefined, narrow);
  const rows = await db.query<ContactRow & { sort_key: string }>(sql, params);
  const more = rows.length > request.limit;
  const page = more ? rows.slice(0, request.limit) : rows;
  const last = page.at(-1);
  return {
    items: page.map(contactFromRow),
    nextCursor:
      more && last
        ? encodeCursor(workspace.cursorSecret, { sort: request.sort, key: String(last.sort_key), id: last.id })
        : null,
  };
}

export async function countContacts(
  db: Queryable,
  workspace: Workspace,
  request: { q?: string; tag?: string[]; language?: string; channel?: string },
) {
  const filter = await resolveFilter(db, workspace.id, request);
  if (!filter) return 0;
  const { where, params } = whereClause(workspace.id, filter);
  const [row] = await db.query<{ count: number }>(
    `select count(*)::int as count from contacts c where ${where}`,
    params,
  );
  return row?.count ?? 0;
}
