import type { FastifyReply, FastifyRequest } from "fastify";
import type { Db } from "../db/db.ts";
import { forbidden, unauthorized } from "../http/problem.ts";
import { type Workspace, workspaceFromRow } from "../workspaces/repository.ts";
import { declaredRole } from "./roles.ts";
import { readSecret } from "./secrets.ts";
import { findSessionUser, findTokenCaller } from "./sessions-repository.ts";

export type Role = "admin" | "operator";
export const ROLES: Role[] = ["admin", "operator"];

export const SESSION_COOKIE = "contacts_session";
export const SESSION_PREFIX = "cs_";
export const TOKEN_PREFIX = "ctk_";

/** Who is asking, and for which workspace: every query of the request is scoped by it. */
export interface Auth {
  workspace: Workspace;
  role: Role;
  via: "session" | "token";
  /** The session's or token's hash: what the API rate limit counts by. */
  credential: string;
  actor: { type: "user" | "token"; id: string };
  user?: { id: string; name: string; email: string; role: Role };
  token?: { id: string; name: string; role: Role };
}

declare module "fastify" {
  interface FastifyRequest {
    auth: Auth;
  }
}

async function fromSession(db: Db, cookie: string): Promise<Auth | null> {
  const parsed = readSecret(SESSION_PREFIX, cookie);
  if (!parsed) return null;
  const row = await findSessionUser(db, parsed.workspaceId, parsed.hash);
  if (!row) return null;
  const user = { id: row.id, name: row.name, email: row.email as string, role: row.role };
  return {
    workspace: workspaceFromRow(row),
    role: row.role,
    via: "session",
    credential: parsed.hash.toString("base64"),
    actor: { type: "user", id: row.id },
    user,
  };
}

async function fromToken(db: Db, bearer: string): Promise<Auth | null> {
  const parsed = readSecret(TOKEN_PREFIX, bearer);
  if (!parsed) return null;
  const row = await findTokenCaller(db, parsed.workspaceId, parsed.hash);
  if (!row) return null;
  return {
    workspace: workspaceFromRow(row),
    role: row.role,
    via: "token",
    credential: parsed.hash.toString("base64"),
    actor: { type: "token", id: row.id },
    token: { id: row.id, name: row.name, role: row.role },
  };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The origin this request was addressed to, as a browser would write it in `Origin`. */
export function ownOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/**
 * A browser sends `Origin` with every cross-site write; a cookie-authenticated write must
 * come from our own pages (CSRF). Bearer tokens are never sent by a browser on its own.
 */
export function assertSameOrigin(request: FastifyRequest, required: boolean) {
  if (SAFE_METHODS.has(request.method)) return;
  const origin = request.headers.origin;
  if (origin === undefined && !required) return;
  if (origin !== ownOrigin(request)) {
    throw forbidden("A write with a session cookie must come from this site (same Origin).");
  }
}

/** The onRequest hook of every API route not declared public: resolves the caller or answers 401. */
export function authenticate(db: Db) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    if (declaredRole(request.routeOptions.config) === "public") return;
    const header = request.headers.authorization;
    let auth: Auth | null = null;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      auth = match?.[1] ? await fromToken(db, match[1]) : null;
      if (!auth) throw unauthorized("The bearer token is not valid (revoked, mistyped or expired).");
    } else {
      const cookie = request.cookies[SESSION_COOKIE];
      auth = cookie ? await fromSession(db, cookie) : null;
      if (!auth) throw unauthorized();
      assertSameOrigin(request, true);
    }
    request.auth = auth;
  };
}
