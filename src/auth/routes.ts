import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Config } from "../config.ts";
import { email as emailRule, isCountryCode, language as languageRule } from "../contacts/fields.ts";
import type { Db, Queryable } from "../db/db.ts";
import { sqlState } from "../db/db.ts";
import { forbidden, invalid, notFound, Problem, tooManyRequests, unauthorized } from "../http/problem.ts";
import * as S from "../http/schemas.ts";
import { anyWorkspaceExists, createWorkspace, publicWorkspace, updateWorkspace } from "../workspaces/store.ts";
import { assertSameOrigin, type Role, SESSION_COOKIE, SESSION_PREFIX, TOKEN_PREFIX } from "./scope.ts";
import { DUMMY_HASH, hashPassword, newSecret, readSecret, verifyPassword } from "./secrets.ts";

const SESSION_DAYS = 30;
const LOGIN_WINDOW_MINUTES = 15;

const User = Type.Object({ id: S.Uuid, name: Type.String(), email: Type.String(), role: S.Role });
const WorkspaceSummary = Type.Object({ id: S.Uuid, slug: Type.String(), name: Type.String() });
const WorkspaceSettings = Type.Object({
  id: S.Uuid,
  slug: Type.String(),
  name: Type.String(),
  defaultCountry: Type.String({ description: "ISO 3166 country national phone numbers are read in" }),
  languages: Type.Array(Type.String(), { description: "BCP 47 tags of the languages the bots speak" }),
});
const Token = Type.Object({ id: S.Uuid, name: Type.String(), role: S.Role, createdAt: Type.String() });
const CountryCode = Type.String({ minLength: 2, maxLength: 2 });
const Languages = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 50 });

/** Checks the workspace settings beyond their JSON types; returns them canonical. */
function workspaceSettings(input: { defaultCountry?: string; languages?: string[] }) {
  const errors = [];
  let defaultCountry: string | undefined;
  if (input.defaultCountry !== undefined) {
    defaultCountry = input.defaultCountry.toUpperCase();
    if (!isCountryCode(defaultCountry)) {
      errors.push({ field: "defaultCountry", message: "is not an ISO 3166 country code (like NL)" });
    }
  }
  let languages: string[] | undefined;
  if (input.languages !== undefined) {
    languages = [];
    for (const [index, tag] of input.languages.entries()) {
      try {
        const canonical = languageRule(tag);
        if (canonical && !languages.includes(canonical)) languages.push(canonical);
      } catch (error) {
        errors.push({ field: `languages[${index}]`, message: (error as Error).message });
      }
    }
  }
  if (errors.length) throw invalid(errors);
  return { defaultCountry, languages };
}

function checkedEmail(value: string, field = "email"): string {
  try {
    const address = emailRule(value);
    if (address) return address;
    throw new Error("is required");
  } catch (error) {
    throw invalid([{ field, message: (error as Error).message }]);
  }
}

async function startSession(
  db: Queryable,
  request: FastifyRequest,
  reply: FastifyReply,
  workspaceId: string,
  userId: string,
) {
  const { secret, hash } = newSecret(SESSION_PREFIX, workspaceId);
  await db.query(
    `insert into sessions (workspace_id, token_hash, user_id, expires_at)
     values ($1, $2, $3, now() + make_interval(days => $4))`,
    [workspaceId, hash, userId, SESSION_DAYS],
  );
  reply.setCookie(SESSION_COOKIE, secret, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: request.protocol === "https",
    maxAge: SESSION_DAYS * 24 * 3600,
  });
}

async function emailTaken(db: Queryable, workspaceId: string, email: string) {
  const rows = await db.query("select 1 from users where workspace_id = $1 and lower(email) = lower($2)", [
    workspaceId,
    email,
  ]);
  return rows.length > 0;
}

const emailConflict = () =>
  new Problem(409, "A user with this e-mail address already exists in this workspace.", { field: "email" });

export const authRoutes =
  (db: Db, config: Config): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/setup",
      {
        config: { role: "public" },
        schema: {
          tags: ["auth"],
          summary: "Whether first-run setup is open",
          description:
            "`open`: whether `POST /setup` would be accepted now (no workspace yet, or ALLOW_SIGNUP on). " +
            "`firstRun`: no workspace exists yet, so nobody can sign in.",
          response: {
            200: Type.Object({ open: Type.Boolean(), firstRun: Type.Boolean() }, { additionalProperties: false }),
          },
        },
      },
      async () => {
        const firstRun = !(await anyWorkspaceExists(db));
        return { open: firstRun || config.allowSignup, firstRun };
      },
    );

    app.post(
      "/setup",
      {
        config: { role: "public" },
        schema: {
          tags: ["auth"],
          summary: "Create a workspace and its first admin",
          description: "Works while no workspace exists (or always, with ALLOW_SIGNUP). Signs the new admin in.",
          body: Type.Object(
            {
              workspaceName: S.Name,
              name: S.Name,
              email: S.Email,
              password: S.Password,
              defaultCountry: Type.Optional(CountryCode),
              languages: Type.Optional(Languages),
            },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Object({ workspace: WorkspaceSummary, user: User }),
            ...S.problems(400, 403, 422),
          },
        },
      },
      async (request, reply) => {
        assertSameOrigin(request, false);
        const body = request.body;
        const email = checkedEmail(body.email);
        const settings = workspaceSettings(body);
        const passwordHash = await hashPassword(body.password);
        const created = await db.transaction(async (tx) => {
          // Two first-run setups racing must not both succeed.
          await tx.query("select pg_advisory_xact_lock(72634002)");
          if (!config.allowSignup) {
            const [open] = await tx.query<{ exists: boolean }>(
              "select not exists (select 1 from workspaces) as exists",
            );
            if (!open?.exists) return null;
          }
          const workspace = await createWorkspace(tx, { name: body.workspaceName.trim(), ...settings });
          const [user] = await tx.query<{ id: string }>(
            `insert into users (workspace_id, name, email, password_hash, role)
             values ($1, $2, $3, $4, 'admin') returning id`,
            [workspace.id, body.name.trim(), email, passwordHash],
          );
          await startSession(tx, request, reply, workspace.id, user?.id as string);
          return { workspace, userId: user?.id as string };
        });
        if (!created) throw forbidden("Setup is closed: this server already has a workspace. Sign in instead.");
        const { workspace, userId } = created;
        return reply.code(201).send({
          workspace: { id: workspace.id, slug: workspace.slug, name: workspace.name },
          user: { id: userId, name: body.name.trim(), email, role: "admin" as const },
        });
      },
    );

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
        type Candidate = {
          workspace_id: string;
          id: string;
          name: string;
          email: string;
          role: Role;
          password_hash: string;
          slug: string;
          workspace_name: string;
          locked_for: number | null;
        };
        const candidates = await db.query<Candidate>(
          `select u.workspace_id, u.id, u.name, u.email, u.role, u.password_hash, w.slug, w.name as workspace_name,
             case when u.failed_logins >= $3 and u.failed_logins_since > now() - make_interval(mins => $4)
               then extract(epoch from u.failed_logins_since + make_interval(mins => $4) - now())::float8 end as locked_for
           from users u join workspaces w on w.id = u.workspace_id
           where lower(u.email) = lower($1) and ($2::text is null or w.slug = $2)
           order by u.created_at`,
          [email.trim(), workspace ?? null, config.loginRateLimit, LOGIN_WINDOW_MINUTES],
        );
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
            await db.query(
              "update users set failed_logins = 0, failed_logins_since = null where workspace_id = $1 and id = $2",
              [user.workspace_id, user.id],
            );
            await startSession(db, request, reply, user.workspace_id, user.id);
            return {
              workspace: { id: user.workspace_id, slug: user.slug, name: user.workspace_name },
              user: { id: user.id, name: user.name, email: user.email, role: user.role },
            };
          }
        }
        for (const user of candidates) {
          await db.query(
            `update users set
               failed_logins = case when failed_logins_since > now() - make_interval(mins => $3) then failed_logins + 1 else 1 end,
               failed_logins_since = case when failed_logins_since > now() - make_interval(mins => $3) then failed_logins_since else now() end
             where workspace_id = $1 and id = $2`,
            [user.workspace_id, user.id, LOGIN_WINDOW_MINUTES],
          );
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
          await db.query("delete from sessions where workspace_id = $1 and token_hash = $2", [
            parsed.workspaceId,
            parsed.hash,
          ]);
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

    app.get(
      "/workspace",
      {
        config: { role: "operator" },
        schema: {
          tags: ["workspace"],
          summary: "This workspace's settings",
          response: { 200: WorkspaceSettings, ...S.problems(401) },
        },
      },
      async (request) => publicWorkspace(request.auth.workspace),
    );

    app.patch(
      "/workspace",
      {
        config: { role: "admin" },
        schema: {
          tags: ["workspace"],
          summary: "Change the name, default phone country or languages (admin)",
          body: Type.Object(
            {
              name: Type.Optional(S.Name),
              defaultCountry: Type.Optional(CountryCode),
              languages: Type.Optional(Languages),
            },
            { additionalProperties: false },
          ),
          response: { 200: WorkspaceSettings, ...S.problems(400, 401, 403, 422) },
        },
      },
      async (request) => {
        const settings = workspaceSettings(request.body);
        const workspace = await updateWorkspace(db, request.auth.workspace.id, {
          name: request.body.name?.trim(),
          ...settings,
        });
        return publicWorkspace(workspace);
      },
    );

    app.post(
      "/tokens",
      {
        config: { role: "admin" },
        schema: {
          tags: ["tokens"],
          summary: "Create an API token (admin); the token is shown only in this answer",
          body: Type.Object({ name: S.Name, role: S.Role }, { additionalProperties: false }),
          response: {
            201: Type.Object({ id: S.Uuid, name: Type.String(), role: S.Role, token: Type.String() }),
            ...S.problems(400, 401, 403, 422),
          },
        },
      },
      async (request, reply) => {
        const workspaceId = request.auth.workspace.id;
        const { secret, hash } = newSecret(TOKEN_PREFIX, workspaceId);
        const [row] = await db.query<{ id: string }>(
          "insert into api_tokens (workspace_id, name, role, token_hash, created_by) values ($1, $2, $3, $4, $5) returning id",
          [workspaceId, request.body.name.trim(), request.body.role, hash, request.auth.user?.id ?? null],
        );
        return reply
          .code(201)
          .send({ id: row?.id as string, name: request.body.name.trim(), role: request.body.role, token: secret });
      },
    );

    app.get(
      "/tokens",
      {
        config: { role: "admin" },
        schema: {
          tags: ["tokens"],
          summary: "The workspace's API tokens (admin)",
          response: { 200: Type.Array(Token), ...S.problems(401, 403) },
        },
      },
      async (request) => {
        const rows = await db.query<{ id: string; name: string; role: Role; created_at: string }>(
          "select id, name, role, created_at from api_tokens where workspace_id = $1 order by created_at, id",
          [request.auth.workspace.id],
        );
        return rows.map((r) => ({ id: r.id, name: r.name, role: r.role, createdAt: r.created_at }));
      },
    );

    app.delete(
      "/tokens/:id",
      {
        config: { role: "admin" },
        schema: {
          tags: ["tokens"],
          summary: "Revoke an API token at once (admin)",
          params: S.IdParams,
          response: { 204: Type.Null(), ...S.problems(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const rows = await db.query("delete from api_tokens where workspace_id = $1 and id = $2 returning id", [
          request.auth.workspace.id,
          request.params.id,
        ]);
        if (rows.length === 0) throw notFound("token");
        return reply.code(204).send(null);
      },
    );

    app.post(
      "/users",
      {
        config: { role: "admin" },
        schema: {
          tags: ["users"],
          summary: "Add an operator or admin to this workspace (admin)",
          body: Type.Object(
            { name: S.Name, email: S.Email, password: S.Password, role: S.Role },
            { additionalProperties: false },
          ),
          response: { 201: User, ...S.problems(400, 401, 403, 409, 422) },
        },
      },
      async (request, reply) => {
        const workspaceId = request.auth.workspace.id;
        const email = checkedEmail(request.body.email);
        if (await emailTaken(db, workspaceId, email)) throw emailConflict();
        const passwordHash = await hashPassword(request.body.password);
        try {
          const [row] = await db.query<{ id: string }>(
            "insert into users (workspace_id, name, email, password_hash, role) values ($1, $2, $3, $4, $5) returning id",
            [workspaceId, request.body.name.trim(), email, passwordHash, request.body.role],
          );
          return reply
            .code(201)
            .send({ id: row?.id as string, name: request.body.name.trim(), email, role: request.body.role });
        } catch (error) {
          if (sqlState(error) === "23505") throw emailConflict();
          throw error;
        }
      },
    );

    app.get(
      "/users",
      {
        config: { role: "operator" },
        schema: {
          tags: ["users"],
          summary: "The workspace's users",
          response: {
            200: Type.Array(Type.Object({ ...User.properties, createdAt: Type.String() })),
            ...S.problems(401),
          },
        },
      },
      async (request) => {
        const rows = await db.query<{ id: string; name: string; email: string; role: Role; created_at: string }>(
          "select id, name, email, role, created_at from users where workspace_id = $1 order by created_at, id",
          [request.auth.workspace.id],
        );
        return rows.map((r) => ({ id: r.id, name: r.name, email: r.email, role: r.role, createdAt: r.created_at }));
      },
    );
  };
