import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Config } from "../config.ts";
import { decodeCursor, encodeCursor } from "../contacts/cursor.ts";
import { getContact } from "../contacts/store.ts";
import type { Db } from "../db/db.ts";
import { notFound } from "../http/problem.ts";
import * as S from "../http/schemas.ts";
import { conversationExists, conversationPage, messagePage } from "./repository.ts";
import { Conversation, ConversationItem, PageQuery, StartBody } from "./schema.ts";
import { MessageSender } from "./sender.ts";
import { startConversation } from "./service.ts";

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
        const limit = request.query.limit ?? 50;
        const after = request.query.cursor
          ? decodeCursor(workspace.cursorSecret, request.query.cursor, "conversations")
          : undefined;
        const rows = await conversationPage(db, workspace.id, request.params.id, limit + 1, after);
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        return {
          items: page,
          nextCursor:
            rows.length > limit && last
              ? encodeCursor(workspace.cursorSecret, { sort: "conversations", key: last.lastMessageAt, id: last.id })
              : null,
        };
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
        const limit = request.query.limit ?? 50;
        const after = request.query.cursor
          ? decodeCursor(workspace.cursorSecret, request.query.cursor, "messages")
          : undefined;
        const rows = await messagePage(db, workspace.id, request.params.id, limit + 1, after);
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        return {
          items: page,
          nextCursor:
            rows.length > limit && last
              ? encodeCursor(workspace.cursorSecret, { sort: "messages", key: last.createdAt, id: last.id })
              : null,
        };
      },
    );
  };
