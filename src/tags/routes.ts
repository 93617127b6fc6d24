import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { recordEvent } from "../audit/repository.ts";
import { LIMITS, tagName } from "../contacts/fields.ts";
import type { Db } from "../db/db.ts";
import { invalid, notFound, Problem } from "../http/problem.ts";
import * as S from "../http/schemas.ts";
import { deleteTag, insertTag, listTags } from "./repository.ts";

const Tag = Type.Object({ name: Type.String(), contactCount: Type.Integer() });

function checkedName(value: string, field: string) {
  try {
    return tagName(value);
  } catch (error) {
    throw invalid([{ field, message: (error as Error).message }]);
  }
}

export const tagRoutes =
  (db: Db): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/tags",
      {
        config: { role: "operator" },
        schema: {
          tags: ["tags"],
          summary: "The tag catalogue with how many contacts carry each tag",
          response: { 200: Type.Array(Tag), ...S.problems(401) },
        },
      },
      async (request) => listTags(db, request.auth.workspace.id),
    );

    app.post(
      "/tags",
      {
        config: { role: "admin" },
        schema: {
          tags: ["tags"],
          summary: "Add a tag to the catalogue (admin)",
          body: Type.Object({ name: Type.String({ maxLength: LIMITS.tag }) }, { additionalProperties: false }),
          response: { 201: Tag, ...S.problems(400, 401, 403, 409, 422) },
        },
      },
      async (request, reply) => {
        const name = checkedName(request.body.name, "name");
        const workspaceId = request.auth.workspace.id;
        const created = await db.transaction(async (tx) => {
          if (!(await insertTag(tx, workspaceId, name))) return false;
          await recordEvent(tx, workspaceId, request.auth.actor, "tag.created", { details: { name } });
          return true;
        });
        if (!created) {
          throw new Problem(409, `The tag "${name}" already exists (names are compared regardless of case).`, {
            field: "name",
            errors: [{ field: "name", message: "already exists" }],
          });
        }
        return reply.code(201).send({ name, contactCount: 0 });
      },
    );

    app.delete(
      "/tags/:name",
      {
        config: { role: "admin" },
        schema: {
          tags: ["tags"],
          summary: "Delete a tag from the catalogue and from every contact (admin)",
          params: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }),
          response: { 204: Type.Null(), ...S.problems(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const name = checkedName(request.params.name, "name");
        const workspaceId = request.auth.workspace.id;
        const deleted = await db.transaction(async (tx) => {
          const deletedName = await deleteTag(tx, workspaceId, name);
          if (deletedName === undefined) return false;
          await recordEvent(tx, workspaceId, request.auth.actor, "tag.deleted", { details: { name: deletedName } });
          return true;
        });
        if (!deleted) throw notFound("tag");
        return reply.code(204).send(null);
      },
    );
  };
