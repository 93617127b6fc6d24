import { Type } from "@sinclair/typebox";
import { Nullable } from "../http/schemas.ts";

export const Message = Type.Object(
  {
    id: Type.String({ format: "uuid" }),
    conversationId: Type.String({ format: "uuid" }),
    contactId: Type.String({ format: "uuid" }),
    direction: Type.Union([Type.Literal("out"), Type.Literal("in")]),
    channel: Type.String(),
    address: Type.String(),
    text: Nullable(Type.String()),
    subject: Nullable(Type.String()),
    template: Nullable(
      Type.Object({
        name: Type.String(),
        language: Type.String(),
        parameters: Type.Record(Type.String(), Type.String()),
      }),
    ),
    status: Type.Union(["queued", "sent", "delivered", "read", "failed"].map((s) => Type.Literal(s))),
    error: Nullable(Type.Object({ code: Nullable(Type.String()), message: Type.String() })),
    providerId: Nullable(Type.String()),
    sentBy: Nullable(Type.Object({ type: Type.String(), id: Nullable(Type.String()) })),
    createdAt: Type.String({ format: "date-time" }),
    statusAt: Type.String({ format: "date-time" }),
  },
  { $id: "Message" },
);

export const Conversation = Type.Object({
  id: Type.String({ format: "uuid" }),
  contactId: Type.String({ format: "uuid" }),
  channel: Type.String(),
  address: Type.String(),
  startedAt: Type.String({ format: "date-time" }),
  lastMessageAt: Type.String({ format: "date-time" }),
});

export const ConversationItem = Type.Object({
  ...Conversation.properties,
  lastMessage: Nullable(Type.Ref("Message")),
});

export const StartBody = Type.Object(
  {
    channel: Type.Union(["email", "whatsapp", "sms", "webchat", "api"].map((c) => Type.Literal(c))),
    address: Type.Optional(
      Type.String({ maxLength: 255, description: "default: the contact's address on the channel" }),
    ),
    subject: Type.Optional(Type.String({ maxLength: 998, description: "e-mail only" })),
    text: Type.Optional(Type.String({ maxLength: 10_000 })),
    template: Type.Optional(
      Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 512 }),
          language: Type.String({ minLength: 1, maxLength: 32 }),
          parameters: Type.Optional(
            Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 1024 }), {
              description:
                'body variables by number ("1", "2"), header ones as "header.1" (or "header" for a media link), URL buttons as "button.<index>.1"',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const PageQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 2000 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
