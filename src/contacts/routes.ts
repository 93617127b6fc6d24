import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Db } from "../db/db.ts";
import { parseIfMatch } from "../http/if-match.ts";
import { invalid } from "../http/problem.ts";
import * as S from "../http/schemas.ts";
import { tagName, tagNames } from "./fields.ts";
import { DEFAULT_SORT } from "./query.ts";
import { Contact, ContactCreate, ContactPatch, CountQuery, ListQuery, TagsBody } from "./schema.ts";
import {
  changeContactTags,
  countContacts,
  createContact,
  deleteContact,
  getContact,
  listContacts,
  patchContact,
} from "./store.ts";

const IfMatch = Type.Object({
  "if-match": Type.Optional(Type.String({ description: 'the version from the ETag ("3")' })),
});

function checkedTags(tags: unknown): string[] {
  const result = tagNames(tags);
  if (result.errors.length) throw invalid(result.errors);
  return result.tags;
}

export const contactRoutes =
  (db: Db): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/contacts",
      {
        config: { role: "operator" },
        schema: {
          tags: ["contacts"],
          summary: "List, search and filter contacts, a keyset page at a time",
          querystring: ListQuery,
          response: {
            200: Type.Object({ items: Type.Array(Type.Ref("Contact")), nextCursor: S.Nullable(Type.String()) }),
            ...S.problems(400, 401),
          },
        },
      },
      async (request) =>
        listContacts(db, request.auth.workspace, {
          ...request.query,
          sort: request.query.sort ?? DEFAULT_SORT,
          limit: request.query.limit ?? 50,
        }),
    );

    app.get(
      "/contacts/count",
      {
        config: { role: "operator" },
        schema: {
          tags: ["contacts"],
          summary: "How many contacts match the filter",
          querystring: CountQuery,
          response: { 200: Type.Object({ count: Type.Integer() }), ...S.problems(400, 401) },
        },
      },
      async (request) => ({ count: await countContacts(db, request.auth.workspace, request.query) }),
    );

    app.post(
      "/contacts",
      {
        config: { role: "operator" },
        schema: {
          tags: ["contacts"],
          summary: "Create a contact",
          body: ContactCreate,
          response: { 201: Type.Ref("Contact"), ...S.problems(400, 401, 403, 409, 413, 422) },
        },
      },
      async (request, reply) => {
        const contact = await createContact(db, request.auth.workspace, request.auth.actor, request.body);
        return reply
          .code(201)
          .header("location", `/api/v1/contacts/${contact.id}`)
          .header("etag", `"${contact.version}"`)
          .send(contact);
      },
    );

    app.get(
      "/contacts/:id",
      {
        config: { role: "operator" },
        schema: {
          tags: ["contacts"],
          summary: "One contact",
          params: S.IdParams,
          response: { 200: Type.Ref("Contact"), ...S.problems(400, 401, 404) },
        },
      },
      async (request, reply) => {
        const contact = await getContact(db, request.auth.workspace.id, request.params.id);
        return reply.header("etag", `"${contact.version}"`).send(contact);
      },
    );

    app.patch(
      "/contacts/:id",
      {
        config: { role: "operator" },
        schema: {
          tags: ["contacts"],
          summary: "Change a contact (JSON merge patch; null clears a field)",
          params: S.IdParams,
          headers: IfMatch,
          body: ContactPatch,
          response: { 200: Type.Ref("Contact"), ...S.problems(400, 401, 403, 404, 409, 412, 413, 422) },
        },
      },
      async (request, reply) => {
        const ifMatch = parseIfMatch(request.headers["if-match"]);
        const contact = await patchContact(
          db,
          request.auth.workspace,
          request.auth.actor,
          request.params.id,
          request.body,
          ifMatch,
        );
        return reply.header("etag", `"${contact.version}"`).send(contact);
      },
    );

    app.delete(
      "/contacts/:id",
      {
        config: { role: "admin" },
        schema: {
          tags: ["contacts"],
          summary: "Delete a contact (admin)",
          params: S.IdParams,
          headers: IfMatch,
          response: { 204: Type.Null(), ...S.problems(400, 401, 403, 404, 412) },
        },
      },
      async (request, reply) => {
        const ifMatch = parseIfMatch(request.headers["if-match"]);
        await deleteContact(db, request.auth.workspace, request.auth.actor, request.params.id, ifMatch);
        return reply.code(204).send(null);
      },
    );

    const tagRoute =
      (kind: "replace" | "add") =>
      async (request: {
        auth: { workspace: Parameters<typeof changeContactTags>[1]; actor: Parameters<typeof changeContactTags>[2] };
        params: { id: string };
        body: { tags: string[] };
        headers: { "if-match"?: string };
      }) =>
        changeContactTags(
          db,
          request.auth.workspace,
          request.auth.actor,
          request.params.id,
          { kind, tags: checkedTags(request.body.tags) },
          parseIfMatch(request.headers["if-match"]),
        );

    const tagsSchema = (summary: string) => ({
      tags: ["contacts"],
      summary,
      params: S.IdParams,
      headers: IfMatch,
      body: TagsBody,
      response: { 200: Type.Ref("Contact"), ...S.problems(400, 401, 403, 404, 412, 422) },
    });
    app.put(
      "/contacts/:id/tags",
      { config: { role: "operator" }, schema: tagsSchema("Set exactly these tags") },
      tagRoute("replace"),
    );
    app.post(
      "/contacts/:id/tags",
      { config: { role: "operator" }, schema: tagsSchema("Add these tags") },
      tagRoute("add"),
    );

    app.delete(
      "/contacts/:id/tags/:tag",
      {
        config: { role: "operator" },
        schema: {
          tags: ["contacts"],
          summary: "Remove one tag from a contact",
          params: Type.Object({ id: S.Uuid, tag: Type.String({ minLength: 1, maxLength: 200 }) }),
          headers: IfMatch,
          response: { 200: Type.Ref("Contact"), ...S.problems(400, 401, 403, 404, 412) },
        },
      },
      async (request) => {
        let tag: string;
        try {
          tag = tagName(request.params.tag);
        } catch (error) {
          throw invalid([{ field: "tag", message: (error as Error).message }]);
        }
        return changeContactTags(
          db,
          request.auth.workspace,
          request.auth.actor,
          request.params.id,
          { kind: "remove", tag },
          parseIfMatch(request.headers["if-match"]),
        );
      },
    );
  };

export { Contact };
