import { type Actor, recordEvent } from "../audit/repository.ts";
import type { ContactFields } from "../contacts/input.ts";
import { type Contact, getContact } from "../contacts/store.ts";
import { type Db, type Queryable, sqlState } from "../db/db.ts";
import { notFound } from "../http/problem.ts";
import type { Channel } from "./address.ts";

/** What identify writes: everything already checked and in stored form. */
export interface IdentifyRequest {
  channel: Channel;
  address: string;
  /** Profile fields (normalised); they fill empty fields only. */
  profile: Partial<ContactFields>;
  seenAt: string;
}

type Fillable = "firstName" | "lastName" | "email" | "phone" | "language" | "timezone" | "externalId";
const FILLABLE: Record<Fillable, string> = {
  firstName: "first_name",
  lastName: "last_name",
  email: "email",
  phone: "phone",
  language: "language",
  timezone: "timezone",
  externalId: "external_id",
};
const UNIQUE: Fillable[] = ["email", "phone", "externalId"];

const uniqueMatch = (field: Fillable, param: string) =>
  field === "email" ? `lower(email) = lower(${param})` : `${FILLABLE[field]} = ${param}`;

/** The contact that holds an identity, or the one whose own e-mail or phone is its address. */
async function findContact(tx: Queryable, workspaceId: string, request: IdentifyRequest) {
  const [byIdentity] = await tx.query<{ contact_id: string }>(
    "select contact_id from contact_identities where workspace_id = $1 and channel = $2 and address = $3",
    [workspaceId, request.channel, request.address],
  );
  if (byIdentity) return byIdentity.contact_id;
  const candidates: [Fillable, string | null | undefined][] = [];
  if (request.channel === "email") candidates.push(["email", request.address]);
  if (request.channel === "whatsapp" || request.channel === "sms") candidates.push(["phone", request.address]);
  candidates.push(["email", request.profile.email], ["phone", request.profile.phone]);
  candidates.push(["externalId", request.profile.externalId]);
  for (const [field, value] of candidates) {
    if (!value) continue;
    const [row] = await tx.query<{ id: string }>(
      `select id from contacts where workspace_id = $1 and ${uniqueMatch(field, "$2")} limit 1`,
      [workspaceId, value],
    );
    if (row) return row.id;
  }
  return undefined;
}

/** The fields a new or found contact gets: the profile, plus the identity's own address. */
function wanted(request: IdentifyRequest): Partial<ContactFields> {
  const fields: Partial<ContactFields> = { ...request.profile };
  if (request.channel === "email" && !fields.email) fields.email = request.address;
  if ((request.channel === "whatsapp" || request.channel === "sms") && !fields.phone) {
    fields.phone = request.address;
    fields.phoneDigits = request.address.slice(1);
  }
  return fields;
}

async function attach(tx: Queryable, workspaceId: string, contactId: string, request: IdentifyRequest) {
  // Not `returning (xmax = 0)`: a table distributed by workspace_id (hash-partitioned, or
  // Citus) has no system columns to return, so the insert and the update are two statements.
  const inserted = await tx.query(
    `insert into contact_identities (workspace_id, channel, address, contact_id, last_seen_at)
     values ($1, $2, $3, $4, $5)
     on conflict (workspace_id, channel, address) do nothing
     returning 1`,
    [workspaceId, request.channel, request.address, contactId, request.seenAt],
  );
  if (inserted.length) return true;
  await tx.query(
    `update contact_identities set last_seen_at = greatest(last_seen_at, $4)
     where workspace_id = $1 and channel = $2 and address = $3`,
    [workspaceId, request.channel, request.address, request.seenAt],
  );
  return false;
}

async function identifyOnce(db: Db, workspaceId: string, actor: Actor, request: IdentifyRequest) {
  return db.transaction(async (tx) => {
    // Two bots identifying one new person at once: the second waits here, then finds the
    // contact the first one made (by the identity it attached).
    await tx.query("select pg_advisory_xact_lock(hashtextextended($1, 0))", [
      `identity\n${workspaceId}\n${request.channel}\n${request.address}`,
    ]);
    const fields = wanted(request);
    const existing = await findContact(tx, workspaceId, request);
    if (!existing) {
      const keys = (Object.keys(fields) as (keyof ContactFields)[]).filter((k) => k !== "lastSeenAt");
      const columns = keys.map((k) => (k === "phoneDigits" ? "phone_digits" : FILLABLE[k as Fillable]));
      const [row] = await tx.query<{ id: string }>(
        `insert into contacts (workspace_id, last_seen_at${columns.map((c) => `, ${c}`).join("")})
         values ($1, $2${keys.map((_, i) => `, $${i + 3}`).join("")}) returning id`,
        [workspaceId, request.seenAt, ...keys.map((k) => fields[k])],
      );
      const id = (row as { id: string }).id;
      await attach(tx, workspaceId, id, request);
      const contact = await getContact(tx, workspaceId, id);
      await recordEvent(tx, workspaceId, actor, "contact.created", {
        contactId: id,
        after: contact,
        details: { via: "identify", channel: request.channel },
      });
      return { contact, created: true };
    }

    const [current] = await tx.query<Record<string, string | null>>(
      `select first_name, last_name, email, phone, language, timezone, external_id, last_seen_at
       from contacts where workspace_id = $1 and id = $2 for update`,
      [workspaceId, existing],
    );
    const before = current as Record<string, string | null>;
    const fill: Partial<Record<Fillable, string>> = {};
    for (const field of Object.keys(FILLABLE) as Fillable[]) {
      const value = fields[field];
      if (!value || before[FILLABLE[field]] !== null) continue;
      if (UNIQUE.includes(field)) {
        // Another contact holds it: this one stays without it rather than taking it.
        const taken = await tx.query(
          `select 1 from contacts where workspace_id = $1 and ${uniqueMatch(field, "$2")} and id <> $3 limit 1`,
          [workspaceId, value, existing],
        );
        if (taken.length) continue;
      }
      fill[field] = value;
    }
    const filled = Object.keys(fill) as Fillable[];
    const seen = before.last_seen_at;
    const later = !seen || Date.parse(seen) < Date.parse(request.seenAt);
    const added = await attach(tx, workspaceId, existing, request);
    if (filled.length || later || added) {
      const sets = filled.map((f, i) => `${FILLABLE[f]} = $${i + 4}`);
      if (fill.phone) sets.push(`phone_digits = $${filled.length + 4}`);
      await tx.query(
        `update contacts set ${[...sets, "last_seen_at = greatest(last_seen_at, $3)", "version = version + 1", "updated_at = now()"].join(", ")}
         where workspace_id = $1 and id = $2`,
        [
          workspaceId,
          existing,
          request.seenAt,
          ...filled.map((f) => fill[f]),
          ...(fill.phone ? [fields.phoneDigits ?? fill.phone.slice(1)] : []),
        ],
      );
    }
    const contact = await getContact(tx, workspaceId, existing);
    if (filled.length || added) {
      await recordEvent(tx, workspaceId, actor, "contact.updated", {
        contactId: existing,
        after: { ...Object.fromEntries(filled.map((f) => [f, fill[f]])), identities: contact.identities },
        details: { via: "identify", channel: request.channel },
      });
    }
    return { contact, created: false };
  });
}

/**
 * Finds the contact by the identity, else by its own e-mail or phone being the address,
 * else by the profile's e-mail, phone or external id, else creates it; attaches the
 * identity and moves `lastSeenAt` forward (never back). A unique index that refuses a
 * write (a concurrent identify of the same person by another address) means someone
 * else made the contact meanwhile: the next attempt finds it.
 */
export async function identify(db: Db, workspaceId: string, actor: Actor, request: IdentifyRequest) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await identifyOnce(db, workspaceId, actor, request);
    } catch (error) {
      if (sqlState(error) !== "23505" || attempt >= 5) throw error;
    }
  }
}

/** Removes one identity from a contact: the contact without it, its version bumped. */
export async function removeIdentity(
  db: Db,
  workspaceId: string,
  actor: Actor,
  contactId: string,
  channel: Channel,
  address: string,
): Promise<Contact> {
  return db.transaction(async (tx) => {
    const locked = await tx.query("select 1 from contacts where workspace_id = $1 and id = $2 for update", [
      workspaceId,
      contactId,
    ]);
    if (!locked.length) throw notFound("contact");
    const removed = await tx.query(
      `delete from contact_identities where workspace_id = $1 and contact_id = $2 and channel = $3 and address = $4
       returning 1`,
      [workspaceId, contactId, channel, address],
    );
    if (!removed.length) throw notFound("identity on this contact");
    await tx.query(
      "update contacts set version = version + 1, updated_at = now() where workspace_id = $1 and id = $2",
      [workspaceId, contactId],
    );
    await recordEvent(tx, workspaceId, actor, "contact.updated", {
      contactId,
      before: { identity: { channel, address } },
      details: { identityRemoved: { channel } },
    });
    return getContact(tx, workspaceId, contactId);
  });
}

/** The identities of a contact on one channel, most recently seen first. */
export async function identitiesOf(tx: Queryable, workspaceId: string, contactId: string, channel: string) {
  return tx.query<{ address: string; last_seen_at: string | null }>(
    `select address, last_seen_at from contact_identities
     where workspace_id = $1 and contact_id = $2 and channel = $3
     order by last_seen_at desc nulls last, address`,
    [workspaceId, contactId, channel],
  );
}
