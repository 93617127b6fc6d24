import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Db } from "../db/db.ts";
import { sqlState } from "../db/db.ts";
import * as S from "../http/schemas.ts";
import { checkedEmail, emailConflict, User } from "./schemas.ts";
import { hashPassword } from "./secrets.ts";
import { emailTaken, insertUser, listUsers } from "./users-repository.ts";

/** /users: the workspace's people (adding one is admin-only). */
export const userRoutes =
  (db: Db): FastifyPluginAsyncTypebox =>
  async (app) => {
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
          const id = await insertUser(db, workspaceId, {
            name: request.body.name.trim(),
            email,
            passwordHash,
            role: request.body.role,
          });
          return reply.code(201).send({ id, name: request.body.name.trim(), email, role: request.body.role });
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
        const rows = await listUsers(db, request.auth.workspace.id);
        return rows.map((r) => ({ id: r.id, name: r.name, email: r.email, role: r.role, createdAt: r.created_at }));
      },
    );
  };
