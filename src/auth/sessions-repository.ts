import type { Queryable } from "../db/db.ts";
import { WORKSPACE_COLUMNS, type WorkspaceRow } from "../workspaces/repository.ts";
import type { Role } from "./scope.ts";

export async function insertSession(
  db: Queryable,
  session: { workspaceId: string; hash: Buffer; userId: string; days: number },
) {
  await db.query(
    `insert into sessions (workspace_id, token_hash, user_id, expires_at)
     values ($1, $2, $3, now() + make_interval(days => $4))`,
    [session.workspaceId, session.hash, session.userId, session.days],
  );
}

export async function deleteSession(db: Queryable, workspaceId: string, hash: Buffer) {
  await db.query("delete from sessions where workspace_id = $1 and token_hash = $2", [workspaceId, hash]);
}

export type CallerRow = WorkspaceRow & { id: string; name: string; email?: string; role: Role };

/** The user of a live session, with their workspace, in one query by primary key. */
export async function findSessionUser(
  db: Queryable,
  workspaceId: string,
  hash: Buffer,
): Promise<CallerRow | undefined> {
  const [row] = await db.query<CallerRow>(
    `select u.id, u.name, u.email, u.role, ${WORKSPACE_COLUMNS}
     from sessions s
     join users u on u.workspace_id = s.workspace_id and u.id = s.user_id
     join workspaces w on w.id = s.workspace_id
     where s.workspace_id = $1 and s.token_hash = $2 and s.expires_at > now()`,
    [workspaceId, hash],
  );
  return row;
}

/** An API token with its workspace, by primary key. */
export async function findTokenCaller(
  db: Queryable,
  workspaceId: string,
  hash: Buffer,
): Promise<CallerRow | undefined> {
  const [row] = await db.query<CallerRow>(
    `select t.id, t.name, t.role, ${WORKSPACE_COLUMNS}
     from api_tokens t join workspaces w on w.id = t.workspace_id
     where t.workspace_id = $1 and t.token_hash = $2`,
    [workspaceId, hash],
  );
  return row;
}
