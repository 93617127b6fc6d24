import type { Static } from "@sinclair/typebox";
import type { Actor } from "../audit/repository.ts";
import { recordEvent } from "../audit/repository.ts";
import { constraintOf, type Db, type Queryable, sqlState } from "../db/db.ts";
import { invalid, notFound, Problem } from "../http/problem.ts";
import { addTags, findTagIds, removeTag, replaceTags } from "../tags/repository.ts";
import type { Workspace } from "../workspaces/repository.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { type ContactFields, type ContactInput, identityError, normaliseContact } from "./input.ts";
import { type ContactFilter, isNarrowSearch } from "./query.ts";
import {
  bumpVersion,
  contactFromRow,
  countMatching,
  deleteContactRow,
  holderOf,
  insertAuditedContact,
  insertContact,
  selectContact,
  selectPage,
  updateContactFields,
} from "./repository.ts";
import type { Contact as ContactSchema } from "./schema.ts";

export type { ContactRow } from "./repository.ts";

/** A contact as the API shows it: the TypeBox schema is its one definition. */
export type Contact = Static<typeof ContactSchema>;

export { contactFromRow };

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
  const holder = await holderOf(db, workspaceId, field, fields[field], selfId);
  return new Problem(409, `Another contact of this workspace already has this ${FIELD_NAMES[field]}.`, {
    field,
    conflictingContactId: holder ?? null,
    errors: [{ field, message: `is already used by another contact` }],
  });
}

async function loadContact(db: Queryable, workspaceId: string, id: string, lock = false): Promise<Contact | undefined> {
  const row = await selectContact(db, workspaceId, id, { lock });
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
  try {
    if (!tags?.length) return contactFromRow(await insertAuditedContact(db, workspace.id, actor, fields));
    return await db.transaction(async (tx) => {
      const { id } = await insertContact(tx, workspace.id, fields);
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
      await bumpVersion(tx, workspace.id, id);
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
      await updateContactFields(tx, workspace.id, id, fields);
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
    await deleteContactRow(tx, workspace.id, id);
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
  const rows = await selectPage(db, workspace.id, {
    filter,
    sort: request.sort,
    limit: request.limit + 1,
    after,
    narrow,
  });
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
  return countMatching(db, workspace.id, filter);
}
