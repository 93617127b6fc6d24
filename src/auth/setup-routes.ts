import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Config } from "../config.ts";
import type { Db } from "../db/db.ts";
import { forbidden } from "../http/problem.ts";
import * as S from "../http/schemas.ts";
import { anyWorkspaceExists, createWorkspace, lockSetup } from "../workspaces/repository.ts";
import { CountryCode, Languages, workspaceSettings } from "../workspaces/settings.ts";
import { checkedEmail, User, WorkspaceSummary } from "./schemas.ts";
import { assertSameOrigin } from "./scope.ts";
import { hashPassword } from "./secrets.ts";
import { startSession } from "./session-cookie.ts";
import { insertUser } from "./users-repository.ts";

/** /setup: whether first-run setup is open, and the setup itself (a workspace and its first admin). */
export const setupRoutes =
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
          await lockSetup(tx);
          if (!config.allowSignup && (await anyWorkspaceExists(tx))) return null;
          const workspace = await createWorkspace(tx, { name: body.workspaceName.trim(), ...settings });
          const userId = await insertUser(tx, workspace.id, {
            name: body.name.trim(),
            email,
            passwordHash,
            role: "admin",
          });
          await startSession(tx, request, reply, { workspaceId: workspace.id, userId });
          return { workspace, userId };
        });
        if (!created) throw forbidden("Setup is closed: this server already has a workspace. Sign in instead.");
        const { workspace, userId } = created;
        return reply.code(201).send({
          workspace: { id: workspace.id, slug: workspace.slug, name: workspace.name },
          user: { id: userId, name: body.name.trim(), email, role: "admin" as const },
        });
      },
    );
  };
