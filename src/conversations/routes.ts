import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Config } from "../config.ts";
import { decodeCursor, encodeCursor, type Position } from "../contacts/cursor.ts";
import { getContact } from "../contacts/store.ts";
import type { Db } from "../db/db.ts";
import { notFound } from "../http/problem.ts";
import * as S from "../http/schemas.ts";
import { conversationExists, conversationPage, messagePage } from "./repository.ts";
import { Conversation, ConversationItem, PageQuery, StartBody } from "./schema.ts";
import { MessageSender } from "./sender.ts";
import { startConversation } from "./service.ts";

/** One page of a keyset-paged list: a row more than the page is read to tell whether another follows. */
async function keysetPage<T extends { id: string }>(
  secret: Buffer,
  query: { limit?: number; cursor?: string },
  sort: string,
  read: (limit: number, after: Position | undefined) => Promise<T[]>,
  keyOf: (row: T) => string,
) {
  const limit = query.limit ?? 50;
  const after = query.cursor ? decodeCursor(secret, query.cursor, sort) : undefined;
  const rows = await read(limit + 1, after);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const more = rows.length > limit && last;
  return { items, nextCursor: more ? encodeCursor(secret, { sort, key: keyOf(last), id: last.id }) : null };
}

export const conversationRoutes =
  (db: Db, config: Config): FastifyPluginAsyncTypebox =>
  async (app) => {
    const sender = new MessageSender(db, config, app.log);
    await sender.start();
    app.addHook("onClose", async () => sender.stop());

    app.post(
      "/contacts/:id/conversations",
      {
        config: { role: "operator" },
        schema: {
          tags: ["conversations"],
          summary: "Start a conversation: its first message is queued and sent in the background",
          params: S.IdParams,
          body: StartBody,
          response: {
            201: Type.Object({ conversation: Conversation, message: Type.Ref("Message") }),
            ...S.problems(400, 401, 403, 404, 413, 422),
          },
        },
      },
      async (request, reply) => {
        const result = await startConversation(
          db,
          config,
          request.auth.workspace,
          request.auth.actor,
          request.params.id,
          request.body,
        );
        sender.wake();
        return reply.code(201).send(result);
      },
    );

    app.get(
      "/contacts/:id/conversations",
      {
        config: { role: "operator" },
        schema: {
          tags: ["conversations"],
          summary: "A contact's conversations, newest first, each with its last message",
          params: S.IdParams,
          querystring: PageQuery,
          response: {
            200: Type.Object({ items: Type.Array(ConversationItem), nextCursor: S.Nullable(Type.String()) }),
            ...S.problems(400, 401, 404),
          },
        },
      },
      async (request) => {
        const { workspace } = request.auth;
        await getContact(db, workspace.id, request.params.id);
        return keysetPage(
          workspace.cursorSecret,
          request.query,
          "conversations",
          (limit, after) => conversationPage(db, workspace.id, request.params.id, limit, after),
          (row) => row.lastMessageAt,
        );
      },
    );

    app.get(
      "/conversations/:id/messages",
      {
        config: { role: "operator" },
        schema: {
          tags: ["conversations"],
          summary: "A conversation's messages, oldest first",
          params: S.IdParams,
          querystring: PageQuery,
          response: {
            200: Type.Object({ items: Type.Array(Type.Ref("Message")), nextCursor: S.Nullable(Type.String()) }),
            ...S.problems(400, 401, 404),
          },
        },
      },
      async (request) => {
        const { workspace } = request.auth;
        if (!(await conversationExists(db, workspace.id, request.params.id))) throw notFound("conversation");
        return keysetPage(
          workspace.cursorSecret,
          request.query,
          "messages",
          (limit, after) => messagePage(db, workspace.id, request.params.id, limit, after),
          (row) => row.createdAt,
        );
      },
    );
  };
