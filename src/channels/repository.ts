import type { Queryable } from "../db/db.ts";
import type { ChannelKind } from "./settings.ts";

export interface ChannelRow {
  workspace_id: string;
  channel: ChannelKind;
  settings: Record<string, string>;
  /** Sealed (see secrets.ts). */
  secrets: string;
  updated_at: string;
}

const COLUMNS = "workspace_id, channel, settings, secrets, updated_at";

export async function listChannels(db: Queryable, workspaceId: string) {
  return db.query<ChannelRow>(`select ${COLUMNS} from channels where workspace_id = $1`, [workspaceId]);
}

export async function findChannel(db: Queryable, workspaceId: string, channel: ChannelKind) {
  const [row] = await db.query<ChannelRow>(`select ${COLUMNS} from channels where workspace_id = $1 and channel = $2`, [
    workspaceId,
    channel,
  ]);
  return row;
}

export async function saveChannel(
  tx: Queryable,
  workspaceId: string,
  channel: ChannelKind,
  settings: object,
  sealed: string,
  updatedBy: object,
) {
  await tx.query(
    `insert into channels (workspace_id, channel, settings, secrets, updated_by) values ($1, $2, $3, $4, $5)
     on conflict (workspace_id, channel)
       do update set settings = excluded.settings, secrets = excluded.secrets, updated_by = excluded.updated_by,
                     updated_at = now()`,
    [workspaceId, channel, JSON.stringify(settings), sealed, JSON.stringify(updatedBy)],
  );
}

export async function deleteChannel(tx: Queryable, workspaceId: string, channel: ChannelKind) {
  const rows = await tx.query("delete from channels where workspace_id = $1 and channel = $2 returning 1", [
    workspaceId,
    channel,
  ]);
  return rows.length > 0;
}

// The lookups below are across workspaces by design: a provider's webhook names its own
// account (a phone number id, an account SID, a verify token), never our workspace.

export async function whatsAppByNumber(db: Queryable, phoneNumberIds: string[]) {
  return db.query<ChannelRow>(
    `select ${COLUMNS} from channels where channel = 'whatsapp' and settings ->> 'phoneNumberId' = any($1::text[])`,
    [phoneNumberIds],
  );
}

export async function whatsAppByVerifyToken(db: Queryable, token: string) {
  return db.query<ChannelRow>(
    `select ${COLUMNS} from channels where channel = 'whatsapp' and settings ->> 'verifyToken' = $1`,
    [token],
  );
}

export async function smsByAccount(db: Queryable, accountSid: string) {
  return db.query<ChannelRow>(
    `select ${COLUMNS} from channels where channel = 'sms' and settings ->> 'accountSid' = $1`,
    [accountSid],
  );
}

/** Another workspace that has configured this WhatsApp number already. */
export async function numberTakenElsewhere(db: Queryable, workspaceId: string, phoneNumberId: string) {
  const rows = await db.query(
    `select 1 from channels where channel = 'whatsapp' and settings ->> 'phoneNumberId' = $1 and workspace_id <> $2 limit 1`,
    [phoneNumberId, workspaceId],
  );
  return rows.length > 0;
}
