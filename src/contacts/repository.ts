import type { Actor } from "../audit/repository.ts";
import type { Queryable } from "../db/db.ts";
import type { Position } from "./cursor.ts";
import { type ContactFields, FIELD_COLUMNS } from "./input.ts";
import { CONTACT_COLUMNS, type ContactFilter, pageQuery, whereClause } from "./query.ts";
import type { Contact } from "./store.ts";

/**
 * The contact's fields (as the TypeBox `Contact` schema names them) and the columns
 * CONTACT_COLUMNS selects them as: the row type, the row mapper and the audit JSON all
 * derive from this one list. `identities` are read beside it (see identities/sql.ts).
 */
export const CONTACT_FIELD_COLUMNS = {
  id: "id",
  firstName: "first_name",
  lastName: "last_name",
  email: "email",
  phone: "phone",
  language: "language",
  timezone: "timezone",
  externalId: "external_id",
  tags: "tags",
  createdAt: "created_at",
  updatedAt: "updated_at",
  lastSeenAt: "last_seen_at",
  version: "version",
} as const satisfies Record<Exclude<keyof Contact, "identities">, string>;

type FieldColumns = typeof CONTACT_FIELD_COLUMNS;

/** A contact row as CONTACT_COLUMNS selects it. */
export type ContactRow = { [K in keyof FieldColumns as FieldColumns[K]]: Contact[K] } & {
  identities?: Contact["identities"];
};

const FIELD_ENTRIES = Object.entries(CONTACT_FIELD_COLUMNS) as [keyof FieldColumns, string][];

export function contactFromRow(row: ContactRow): Contact {
  const contact = {} as Record<string, unknown>;
  for (const [field, column] of FIELD_ENTRIES) contact[field] = (row as Record<string, unknown>)[column];
  contact.identities = row.identities ?? [];
  return contact as Contact;
}

/** A contact row (selected with CONTACT_COLUMNS as `alias`) as the API's JSON, for the audit log. */
const auditJson = (alias: string) =>
  `jsonb_build_object(${FIELD_ENTRIES.map(([field, column]) => `'${field}', ${alias}.${column}`).join(", ")})`;

export async function selectContact(
  db: Queryable,
  workspaceId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<ContactRow | undefined> {
  const [row] = await db.query<ContactRow>(
    `select ${CONTACT_COLUMNS} from contacts c where c.workspace_id = $1 and c.id = $2${options.lock ? " for update" : ""}`,
    [workspaceId, id],
  );
  return row;
}

function insertStatement(keys: (keyof ContactFields)[]) {
  return `insert into contacts as c (workspace_id${keys.map((k) => `, ${FIELD_COLUMNS[k]}`).join("")})
    values ($1${keys.map((_, i) => `, $${i + 2}`).join("")}) returning ${CONTACT_COLUMNS}`;
}

/** Inserts a contact of these fields (no tags); returns its row. */
export async function insertContact(
  tx: Queryable,
  workspaceId: string,
  fields: Partial<ContactFields>,
): Promise<ContactRow> {
  const keys = Object.keys(fields) as (keyof ContactFields)[];
  const [row] = await tx.query<ContactRow>(insertStatement(keys), [workspaceId, ...keys.map((k) => fields[k])]);
  return row as ContactRow;
}

/**
 * The usual create (a bot reporting a new contact): the contact and its audit row in one
 * statement, which commits both or neither, in one round trip.
 */
export async function insertAuditedContact(
  db: Queryable,
  workspaceId: string,
  actor: Actor,
  fields: Partial<ContactFields>,
): Promise<ContactRow> {
  const keys = Object.keys(fields) as (keyof ContactFields)[];
  const params = [workspaceId, ...keys.map((k) => fields[k])];
  const n = params.length;
  const [row] = await db.query<ContactRow>(
    `with created as (${insertStatement(keys)}), audit as (
       insert into audit_events (workspace_id, action, actor_type, actor_id, contact_id, after)
       select $1, 'contact.created', $${n + 1}, $${n + 2}, created.id, ${auditJson("created")} from created)
     select * from created`,
    [...params, actor.type, actor.id],
  );
  return row as ContactRow;
}

export async function updateContactFields(
  tx: Queryable,
  workspaceId: string,
  id: string,
  fields: Partial<ContactFields>,
) {
  const keys = Object.keys(fields) as (keyof ContactFields)[];
  if (keys.length === 0) return;
  await tx.query(
    `update contacts set ${keys.map((k, i) => `${FIELD_COLUMNS[k]} = $${i + 3}`).join(", ")}
     where workspace_id = $1 and id = $2`,
    [workspaceId, id, ...keys.map((k) => fields[k])],
  );
}

/** A change of the contact: its version goes up, its updatedAt to now. */
export async function bumpVersion(tx: Queryable, workspaceId: string, id: string) {
  await tx.query("update contacts set version = version + 1, updated_at = now() where workspace_id = $1 and id = $2", [
    workspaceId,
    id,
  ]);
}

export async function deleteContactRow(tx: Queryable, workspaceId: string, id: string) {
  await tx.query("delete from contacts where workspace_id = $1 and id = $2", [workspaceId, id]);
}

/** Another contact (not `selfId`) holding this e-mail address, phone or external id. */
export async function holderOf(
  db: Queryable,
  workspaceId: string,
  field: "email" | "phone" | "externalId",
  value: unknown,
  selfId?: string,
): Promise<string | undefined> {
  const [row] = await db.query<{ id: string }>(
    `select id from contacts where workspace_id = $1 and ${field === "email" ? "lower(email) = lower($2)" : `${FIELD_COLUMNS[field]} = $2`}
     and id <> coalesce($3::uuid, '00000000-0000-0000-0000-000000000000') limit 1`,
    [workspaceId, value, selfId ?? null],
  );
  return row?.id;
}

/** One keyset page of contacts with their sort keys (see pageQuery). */
export async function selectPage(
  db: Queryable,
  workspaceId: string,
  options: { filter: ContactFilter; sort: string; limit: number; after?: Position; narrow?: boolean },
) {
  const { sql, params } = pageQuery(workspaceId, options);
  return db.query<ContactRow & { sort_key: string }>(sql, params);
}

export async function countMatching(db: Queryable, workspaceId: string, filter: ContactFilter): Promise<number> {
  const { where, params } = whereClause(workspaceId, filter);
  const [row] = await db.query<{ count: number }>(
    `select count(*)::int as count from contacts c where ${where}`,
    params,
  );
  return row?.count ?? 0;
}
