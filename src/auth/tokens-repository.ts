import type { Queryable } from "../db/db.ts";
import type { Role } from "./scope.ts";

export interface TokenRow {
  id: string;
  name: string;
  role: Role;
  created_at: string;
}

export async function insertToken(
  db: Queryable,
  workspaceId: string,
  token: { name: string; role: Role; hash: Buffer; createdBy: string | null },
): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    "insert into api_tokens (workspace_id, name, role, token_hash, created_by) values ($1, $2, $3, $4, $5) returning id",
    [workspaceId, token.name, token.role, token.hash, token.createdBy],
  );
  return row?.id as string;
}

export async function listTokens(db: Queryable, workspaceId: string): Promise<TokenRow[]> {
  return db.query<TokenRow>(
    "select id, name, role, created_at from api_tokens where workspace_id = $1 order by created_at, id",
    [workspaceId],
  );
}

/** Revokes a token at once; false when there is no such token. */
export async function deleteToken(db: Queryable, workspaceId: string, id: string): Promise<boolean> {
  const rows = await db.query("delete from api_tokens where workspace_id = $1 and id = $2 returning id", [
    workspaceId,
    id,
  ]);
  return rows.length > 0;
}
