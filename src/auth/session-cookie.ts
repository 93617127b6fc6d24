import type { FastifyReply, FastifyRequest } from "fastify";
import type { Queryable } from "../db/db.ts";
import { SESSION_COOKIE, SESSION_PREFIX } from "./scope.ts";
import { newSecret } from "./secrets.ts";
import { insertSession } from "./sessions-repository.ts";

export const SESSION_DAYS = 30;

/** Stores a new session (in `db`, which may be the transaction that made the user) and sets its cookie. */
export async function startSession(
  db: Queryable,
  request: FastifyRequest,
  reply: FastifyReply,
  user: { workspaceId: string; userId: string },
) {
  const { secret, hash } = newSecret(SESSION_PREFIX, user.workspaceId);
  await insertSession(db, { workspaceId: user.workspaceId, hash, userId: user.userId, days: SESSION_DAYS });
  reply.setCookie(SESSION_COOKIE, secret, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: request.protocol === "https",
    maxAge: SESSION_DAYS * 24 * 3600,
  });
}
