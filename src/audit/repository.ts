import type { Queryable } from "../db/db.ts";

export interface Actor {
  /** `system`: the server itself, on a provider's webhook (no user or token). */
  type: "user" | "token" | "system";
  id: string | null;
}

/** Records who did what; written in the same transaction as the change it describes. */
export async function recordEvent(
  tx: Queryable,
  workspaceId: string,
  actor: Actor,
  action: string,
  event: { contactId?: string; before?: unknown; after?: unknown; details?: unknown } = {},
) {
  await tx.query(
    `insert into audit_events (workspace_id, action, actor_type, actor_id, contact_id, before, after, details)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      workspaceId,
      action,
      actor.type,
      actor.id,
      event.contactId ?? null,
      event.before === undefined ? null : JSON.stringify(event.before),
      event.after === undefined ? null : JSON.stringify(event.after),
      event.details === undefined ? null : JSON.stringify(event.details),
    ],
  );
}
