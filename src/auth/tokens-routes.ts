import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Db } from "../db/db.ts";
import { notFound } from "../http/problem.ts";
import * as S from "../http/schemas.ts";
import { TOKEN_PREFIX } from "./scope.ts";
import { newSecret } from "./secrets.ts";
import { deleteToken, insertToken, listTokens } from "./tokens-repository.ts";

const Token = Type.Object({ id: S.Uuid, name: Type.String(), role: S.Role, createdAt: Type.String() });

/** /tokens: the workspace's API tokens (admin). */
export const tokenRoutes =
  (db: Db): FastifyPluginAsyncTypebox =>
  async (app) => {
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
        const id = await insertToken(db, workspaceId, {
          name: request.body.name.trim(),
          role: request.body.role,
          hash,
          createdBy: request.auth.user?.id ?? null,
        });
        return reply.code(201).send({ id, name: request.body.name.trim(), role: request.body.role, token: secret });
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
        const rows = await listTokens(db, request.auth.workspace.id);
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
        if (!(await deleteToken(db, request.auth.workspace.id, request.params.id))) throw notFound("token");
        return reply.code(204).send(null);
      },
    );
  };
