import type { Actor } from "../audit/repository.ts";
import type { Queryable } from "../db/db.ts";

export type Status = "queued" | "sent" | "delivered" | "read" | "failed";

/** A message as the API shows it. */
export interface Message {
  id: string;
  conversationId: string;
  contactId: string;
  direction: "out" | "in";
  channel: string;
  address: string;
  text: string | null;
  subject: string | null;
  template: { name: string; language: string; parameters: Record<string, string> } | null;
  status: Status;
  error: { code: string | null; message: string } | null;
  providerId: string | null;
  sentBy: { type: string; id: string | null } | null;
  createdAt: string;
  statusAt: string;
}

interface MessageRow {
  id: string;
  conversation_id: string;
  contact_id: string;
  direction: "out" | "in";
  channel: string;
  address: string;
  text: string | null;
  subject: string | null;
  template: Message["template"];
  status: Status;
  error: Message["error"];
  provider_id: string | null;
  sent_by: Message["sentBy"];
  created_at: string;
  status_at: string;
}

const MESSAGE_COLUMNS = `m.id, m.conversation_id, m.contact_id, m.direction, m.channel, m.address, m.text, m.subject,
  m.template, m.status, m.error, m.provider_id, m.sent_by, m.created_at, m.status_at`;

export const messageFromRow = (r: MessageRow): Message => ({
  id: r.id,
  conversationId: r.conversation_id,
  contactId: r.contact_id,
  direction: r.direction,
  channel: r.channel,
  address: r.address,
  text: r.text,
  subject: r.subject,
  template: r.template && { name: r.template.name, language: r.template.language, parameters: r.template.parameters },
  status: r.status,
  error: r.error,
  providerId: r.provider_id,
  sentBy: r.sent_by,
  createdAt: r.created_at,
  statusAt: r.status_at,
});

export interface Conversation {
  id: string;
  contactId: string;
  channel: string;
  address: string;
  startedAt: string;
  lastMessageAt: string;
}

interface ConversationRow {
  id: string;
  contact_id: string;
  channel: string;
  address: string;
  started_at: string;
  last_message_at: string;
}

const conversationFromRow = (r: ConversationRow): Conversation => ({
  id: r.id,
  contactId: r.contact_id,
  channel: r.channel,
  address: r.address,
  startedAt: r.started_at,
  lastMessageAt: r.last_message_at,
});

const CONVERSATION_COLUMNS = "v.id, v.contact_id, v.channel, v.address, v.started_at, v.last_message_at";

export async function createConversation(
  tx: Queryable,
  workspaceId: string,
  contactId: string,
  channel: string,
  address: string,
  at?: string,
) {
  const [row] = await tx.query<ConversationRow>(
    `insert into conversations as v (workspace_id, contact_id, channel, address, started_at, last_message_at)
     values ($1, $2, $3, $4, coalesce($5::timestamptz, now()), coalesce($5::timestamptz, now()))
     returning ${CONVERSATION_COLUMNS}`,
    [workspaceId, contactId, channel, address, at ?? null],
  );
  return conversationFromRow(row as ConversationRow);
}

export async function insertMessage(
  tx: Queryable,
  workspaceId: string,
  m: {
    conversationId: string;
    contactId: string;
    direction: "in" | "out";
    channel: string;
    address: string;
    subject?: string | null;
    text?: string | null;
    template?: object | null;
    status: Status;
    providerId?: string | null;
    sentBy?: Actor | null;
    at?: string;
  },
): Promise<Message | undefined> {
  const [row] = await tx.query<MessageRow>(
    `insert into messages as m (workspace_id, conversation_id, contact_id, direction, channel, address, subject, text,
       template, status, provider_id, sent_by, next_attempt_at, created_at, status_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
       case when $4 = 'out' and $10 = 'queued' then now() end,
       coalesce($13::timestamptz, now()), coalesce($13::timestamptz, now()))
     on conflict (workspace_id, channel, provider_id) where provider_id is not null do nothing
     returning ${MESSAGE_COLUMNS}`,
    [
      workspaceId,
      m.conversationId,
      m.contactId,
      m.direction,
      m.channel,
      m.address,
      m.subject ?? null,
      m.text ?? null,
      m.template ? JSON.stringify(m.template) : null,
      m.status,
      m.providerId ?? null,
      m.sentBy ? JSON.stringify(m.sentBy) : null,
      m.at ?? null,
    ],
  );
  if (!row) return undefined;
  await tx.query(
    `update conversations set last_message_at = greatest(last_message_at, $3),
       last_inbound_at = case when $4 then greatest(last_inbound_at, $3) else last_inbound_at end
     where workspace_id = $1 and id = $2`,
    [workspaceId, m.conversationId, row.created_at, m.direction === "in"],
  );
  return messageFromRow(row);
}

/** When the contact last wrote to this address on this channel (WhatsApp's 24-hour window). */
export async function lastInbound(
  db: Queryable,
  workspaceId: string,
  contactId: string,
  channel: string,
  address: string,
) {
  const [row] = await db.query<{ at: string | null }>(
    `select max(last_inbound_at) as at from conversations
     where workspace_id = $1 and contact_id = $2 and channel = $3 and address = $4`,
    [workspaceId, contactId, channel, address],
  );
  return row?.at ?? null;
}

/** The contact's latest conversation on this channel and address, where a reply belongs. */
export async function latestConversation(
  db: Queryable,
  workspaceId: string,
  contactId: string,
  channel: string,
  address: string,
) {
  const [row] = await db.query<ConversationRow>(
    `select ${CONVERSATION_COLUMNS} from conversations v
     where v.workspace_id = $1 and v.contact_id = $2 and v.channel = $3 and v.address = $4
     order by v.last_message_at desc, v.id desc limit 1`,
    [workspaceId, contactId, channel, address],
  );
  return row && conversationFromRow(row);
}

export async function getMessage(db: Queryable, workspaceId: string, id: string) {
  const [row] = await db.query<MessageRow>(
    `select ${MESSAGE_COLUMNS} from messages m where m.workspace_id = $1 and m.id = $2`,
    [workspaceId, id],
  );
  return row && messageFromRow(row);
}

export async function conversationExists(db: Queryable, workspaceId: string, id: string) {
  const rows = await db.query("select 1 from conversations where workspace_id = $1 and id = $2", [workspaceId, id]);
  return rows.length > 0;
}

/** A page of a contact's conversations, newest first, each with its last message. */
export async function conversationPage(
  db: Queryable,
  workspaceId: string,
  contactId: string,
  limit: number,
  after?: { key: string; id: string },
) {
  const rows = await db.query<ConversationRow & { last: MessageRow | null }>(
    `select ${CONVERSATION_COLUMNS},
       (select row_to_json(l) from (select ${MESSAGE_COLUMNS} from messages m
          where m.workspace_id = v.workspace_id and m.conversation_id = v.id
          order by m.created_at desc, m.id desc limit 1) l) as last
     from conversations v
     where v.workspace_id = $1 and v.contact_id = $2
       and ($3::timestamptz is null or (v.last_message_at, v.id) < ($3::timestamptz, $4::uuid))
     order by v.last_message_at desc, v.id desc limit $5`,
    [workspaceId, contactId, after?.key ?? null, after?.id ?? null, limit],
  );
  return rows.map((r) => ({
    ...conversationFromRow(r),
    lastMessage: r.last ? messageFromRow(jsonTimes(r.last)) : null,
  }));
}

/** row_to_json writes timestamps as `2026-11-25T10:00:00.123+00:00`: the API's `…Z` form. */
function jsonTimes(row: MessageRow): MessageRow {
  const z = (v: string) => v.replace(/\+00:00$/, "Z");
  return { ...row, created_at: z(row.created_at), status_at: z(row.status_at) };
}

/** A page of a conversation's messages, oldest first. */
export async function messagePage(
  db: Queryable,
  workspaceId: string,
  conversationId: string,
  limit: number,
  after?: { key: string; id: string },
) {
  const rows = await db.query<MessageRow>(
    `select ${MESSAGE_COLUMNS} from messages m
     where m.workspace_id = $1 and m.conversation_id = $2
       and ($3::timestamptz is null or (m.created_at, m.id) > ($3::timestamptz, $4::uuid))
     order by m.created_at, m.id limit $5`,
    [workspaceId, conversationId, after?.key ?? null, after?.id ?? null, limit],
  );
  return rows.map(messageFromRow);
}

// ---- The outbox: queued outbound messages are sent by the sender (sender.ts). ----

export interface OutboxRow {
  workspace_id: string;
  id: string;
  contact_id: string;
  channel: "email" | "whatsapp" | "sms";
  address: string;
  subject: string | null;
  text: string | null;
  template: {
    name: string;
    language: string;
    parameters: Record<string, string>;
    components: import("../channels/providers.ts").TemplateComponent[];
  } | null;
  attempts: number;
  sent_by: Actor | null;
}

/** Claims one due message for `worker` for `leaseSeconds` (skipping those another worker holds). */
export async function claimMessage(db: Queryable, worker: string, leaseSeconds: number) {
  const [row] = await db.query<OutboxRow>(
    `update messages m set worker = $1, lease_until = now() + make_interval(secs => $2), attempts = attempts + 1
     where (m.workspace_id, m.id) = (
       select workspace_id, id from messages
       where status = 'queued' and direction = 'out' and next_attempt_at <= now()
         and (lease_until is null or lease_until < now())
       order by next_attempt_at limit 1 for update skip locked)
     returning m.workspace_id, m.id, m.contact_id, m.channel, m.address, m.subject, m.text, m.template, m.attempts,
       m.sent_by`,
    [worker, leaseSeconds],
  );
  return row;
}

/** The provider took it: `sent` with its id, in one statement, only while our lease holds. */
export async function markSent(tx: Queryable, row: OutboxRow, worker: string, providerId: string) {
  const rows = await tx.query(
    `update messages set status = 'sent', provider_id = $4, status_at = now(), lease_until = null,
       next_attempt_at = null, error = null
     where workspace_id = $1 and id = $2 and worker = $3 and status = 'queued' returning 1`,
    [row.workspace_id, row.id, worker, providerId],
  );
  return rows.length > 0;
}

export async function markRetry(db: Queryable, row: OutboxRow, worker: string, delayMs: number, error: object) {
  await db.query(
    `update messages set next_attempt_at = now() + make_interval(secs => $4), lease_until = null, error = $5
     where workspace_id = $1 and id = $2 and worker = $3 and status = 'queued'`,
    [row.workspace_id, row.id, worker, delayMs / 1000, JSON.stringify(error)],
  );
}

export async function markFailed(db: Queryable, row: OutboxRow, worker: string, error: object) {
  await db.query(
    `update messages set status = 'failed', error = $4, status_at = now(), lease_until = null, next_attempt_at = null
     where workspace_id = $1 and id = $2 and worker = $3 and status = 'queued'`,
    [row.workspace_id, row.id, worker, JSON.stringify(error)],
  );
}

/** PGlite is one process: a lease left by a process that died is given back at start. */
export async function releaseLeases(db: Queryable) {
  await db.query("update messages set lease_until = null where status = 'queued' and lease_until is not null");
}

const RANK = `case status when 'queued' then 0 when 'sent' then 1 when 'delivered' then 2 when 'read' then 3 else 99 end`;
/** A status may only move forwards: `failed` replaces queued or sent; nothing replaces failed or read. */
const RANK_OF: Record<Status, number> = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 2 };

/**
 * Applies a provider's status reports (any order, any number of times) to the messages
 * with those provider ids. Returns the messages that changed.
 */
export async function applyStatuses(
  db: Queryable,
  workspaceId: string,
  channel: string,
  updates: { providerId: string; status: Status; at: string; error: object | null }[],
) {
  if (updates.length === 0) return [];
  const rows = await db.query<MessageRow>(
    `with u as (
       select * from unnest($3::text[], $4::text[], $5::int[], $6::timestamptz[], $7::jsonb[])
         as u(provider_id, status, rank, at, error)),
     best as (
       select distinct on (provider_id) * from u order by provider_id, rank desc)
     update messages m set status = best.status, status_at = best.at,
       error = case when best.status = 'failed' then best.error else m.error end
     from best
     where m.workspace_id = $1 and m.channel = $2 and m.provider_id = best.provider_id
       and (${RANK.replaceAll("status", "m.status")}) < best.rank
       and not (m.status = 'read' and best.status = 'failed')
     returning ${MESSAGE_COLUMNS}`,
    [
      workspaceId,
      channel,
      updates.map((u) => u.providerId),
      updates.map((u) => u.status),
      updates.map((u) => RANK_OF[u.status]),
      updates.map((u) => u.at),
      updates.map((u) => (u.error ? JSON.stringify(u.error) : null)),
    ],
  );
  return rows.map(messageFromRow);
}
