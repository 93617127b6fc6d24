import type { Queryable } from "../db/db.ts";
import type { Role } from "./scope.ts";

export interface UserRow {
  id: string;
  name: string;
  email: string;
  role: Role;
  created_at: string;
}

/** A user who may sign in with this address, with their workspace and lockout state. */
export interface LoginCandidate {
  workspace_id: string;
  id: string;
  name: string;
  email: string;
  role: Role;
  password_hash: string;
  slug: string;
  workspace_name: string;
  /** Seconds the account stays locked, or null. */
  locked_for: number | null;
}

export async function insertUser(
  db: Queryable,
  workspaceId: string,
  user: { name: string; email: string; passwordHash: string; role: Role },
): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    "insert into users (workspace_id, name, email, password_hash, role) values ($1, $2, $3, $4, $5) returning id",
    [workspaceId, user.name, user.email, user.passwordHash, user.role],
  );
  return row?.id as string;
}

export async function emailTaken(db: Queryable, workspaceId: string, email: string): Promise<boolean> {
  const rows = await db.query("select 1 from users where workspace_id = $1 and lower(email) = lower($2)", [
    workspaceId,
    email,
  ]);
  return rows.length > 0;
}

export async function listUsers(db: Queryable, workspaceId: string): Promise<UserRow[]> {
  return db.query<UserRow>(
    "select id, name, email, role, created_at from users where workspace_id = $1 order by created_at, id",
    [workspaceId],
  );
}

/** Every user with this address (in the named workspace only, when given), oldest first. */
export async function loginCandidates(
  db: Queryable,
  options: { email: string; workspaceSlug: string | null; maxFailures: number; windowMinutes: number },
): Promise<LoginCandidate[]> {
  return db.query<LoginCandidate>(
    `select u.workspace_id, u.id, u.name, u.email, u.role, u.password_hash, w.slug, w.name as workspace_name,
       case when u.failed_logins >= $3 and u.failed_logins_since > now() - make_interval(mins => $4)
         then extract(epoch from u.failed_logins_since + make_interval(mins => $4) - now())::float8 end as locked_for
     from users u join workspaces w on w.id = u.workspace_id
     where lower(u.email) = lower($1) and ($2::text is null or w.slug = $2)
     order by u.created_at`,
    [options.email, options.workspaceSlug, options.maxFailures, options.windowMinutes],
  );
}

export async function clearFailedLogins(db: Queryable, workspaceId: string, userId: string) {
  await db.query("update users set failed_logins = 0, failed_logins_since = null where workspace_id = $1 and id = $2", [
    workspaceId,
    userId,
  ]);
}

/** Counts a failed sign-in within the window (a new window starts after the last one ran out). */
export async function countFailedLogin(db: Queryable, workspaceId: string, userId: string, windowMinutes: number) {
  await db.query(
    `update users set
       failed_logins = case when failed_logins_since > now() - make_interval(mins => $3) then failed_logins + 1 else 1 end,
       failed_logins_since = case when failed_logins_since > now() - make_interval(mins => $3) then failed_logins_since else now() end
     where workspace_id = $1 and id = $2`,
    [workspaceId, userId, windowMinutes],
  );
}
