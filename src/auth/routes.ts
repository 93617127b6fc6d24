import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Config } from "../config.ts";
import type { Db } from "../db/db.ts";
import { tooManyRequests, unauthorized } from "../http/problem.ts";
import * as S from "../http/schemas.ts";
import { publicWorkspace } from "../workspaces/repository.ts";
import { WorkspaceSettings } from "../workspaces/settings.ts";
import { User, WorkspaceSummary } from "./schemas.ts";
import { assertSameOrigin, SESSION_COOKIE, SESSION_PREFIX } from "./scope.ts";
import { DUMMY_HASH, readSecret, verifyPassword } from "./secrets.ts";
import { startSession } from "./session-cookie.ts";
import { deleteSession } from "./sessions-repository.ts";
import { clearFailedLogins, countFailedLogin, loginCandidates } from "./users-repository.ts";

const LOGIN_WINDOW_MINUTES = 15;

/** Sign-in, sign-out and who is asking (/auth/login, /auth/logout, /me). */
export const authRoutes =
  (db: Db, config: Config): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      "/auth/login",
      {
        config: { role: "public" },
        schema: {
          tags: ["auth"],
          summary: "Sign in with e-mail and password; sets the session cookie",
          body: Type.Object(
            {
              email: S.Email,
              password: Type.String({ maxLength: 1024 }),
              workspace: Type.Optional(
                Type.String({ description: "the workspace's slug, when the address is in several" }),
              ),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ workspace: WorkspaceSummary, user: User }),
            ...S.problems(400, 401, 403, 422, 429),
          },
        },
      },
      async (request, reply) => {
        assertSameOrigin(request, false);
        const { email, password, workspace } = request.body;
        const candidates = await loginCandidates(db, {
          email: email.trim(),
          workspaceSlug: workspace ?? null,
          maxFailures: config.loginRateLimit,
          windowMinutes: LOGIN_WINDOW_MINUTES,
        });
        if (candidates.length === 0) {
          await verifyPassword(password, DUMMY_HASH);
          throw unauthorized("The e-mail address or password is not right.");
        }
        for (const user of candidates) {
          if (user.locked_for !== null) {
            throw tooManyRequests(user.locked_for, "Too many failed sign-ins for this account. Try again later.");
          }
        }
        for (const user of candidates) {
          if (await verifyPassword(password, user.password_hash)) {
            await clearFailedLogins(db, user.workspace_id, user.id);
            await startSession(db, request, reply, { workspaceId: user.workspace_id, userId: user.id });
            return {
              workspace: { id: user.workspace_id, slug: user.slug, name: user.workspace_name },
              user: { id: user.id, name: user.name, email: user.email, role: user.role },
            };
          }
        }
        for (const user of candidates) {
          await countFailedLogin(db, user.workspace_id, user.id, LOGIN_WINDOW_MINUTES);
        }
        throw unauthorized("The e-mail address or password is not right.");
      },
    );

    app.post(
      "/auth/logout",
      {
        config: { role: "operator" },
        schema: {
          tags: ["auth"],
          summary: "End this session",
          response: { 204: Type.Null(), ...S.problems(401, 403) },
        },
      },
      async (request, reply) => {
        const cookie = request.cookies[SESSION_COOKIE];
        const parsed = cookie ? readSecret(SESSION_PREFIX, cookie) : null;
        if (parsed) {
          await deleteSession(db, parsed.workspaceId, parsed.hash);
        }
        reply.clearCookie(SESSION_COOKIE, { path: "/" });
        return reply.code(204).send(null);
      },
    );

    app.get(
      "/me",
      {
        config: { role: "operator" },
        schema: {
          tags: ["auth"],
          summary: "Who is signed in (or which token is used), in which workspace",
          response: {
            200: Type.Object({
              user: S.Nullable(User),
              token: S.Nullable(Type.Object({ id: S.Uuid, name: Type.String(), role: S.Role })),
              role: S.Role,
              workspace: WorkspaceSettings,
            }),
            ...S.problems(401),
          },
        },
      },
      async (request) => ({
        user: request.auth.user ?? null,
        token: request.auth.token ?? null,
        role: request.auth.role,
        workspace: publicWorkspace(request.auth.workspace),
      }),
    );
  };
