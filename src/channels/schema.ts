import { Type } from "@sinclair/typebox";
import { Nullable } from "../http/schemas.ts";

const s = (max: number, description?: string) => Type.String({ maxLength: max, description });

export const ChannelKindParam = Type.Union([Type.Literal("email"), Type.Literal("whatsapp"), Type.Literal("sms")]);

export const ChannelView = Type.Object({
  channel: Type.String(),
  configured: Type.Boolean(),
  settings: Nullable(
    Type.Record(Type.String(), Type.String(), { description: "the channel's settings; secrets are never shown" }),
  ),
  updatedAt: Nullable(Type.String({ format: "date-time" })),
});

const secret = (description: string) =>
  Type.Optional(s(4096, `${description}; write-only, never shown again; left out, the stored one is kept`));

export const EmailBody = Type.Object(
  {
    smtpUrl: s(2000, "smtp://user:password@host:587 or smtps://…:465; the password is a secret"),
    from: s(320, "the sender: address or Name <address>"),
  },
  { additionalProperties: false },
);

export const WhatsAppBody = Type.Object(
  {
    apiBaseUrl: Type.Optional(s(500, "default https://graph.facebook.com/v21.0")),
    phoneNumberId: s(64, "the WhatsApp Business phone number id"),
    businessAccountId: s(64, "the WhatsApp Business Account id (its templates)"),
    accessToken: secret("a system user access token"),
    appSecret: secret("the Meta app's secret, which signs webhooks"),
    verifyToken: s(200, "the token Meta's webhook handshake sends"),
  },
  { additionalProperties: false },
);

export const SmsBody = Type.Object(
  {
    apiBaseUrl: Type.Optional(s(500, "default https://api.twilio.com")),
    accountSid: s(64, "the Twilio Account SID (AC…)"),
    authToken: secret("the Twilio auth token"),
    from: s(64, "an E.164 number, a Messaging Service SID (MG…) or an alphanumeric sender id"),
  },
  { additionalProperties: false },
);

export const TestBody = Type.Object(
  { to: Type.Optional(s(254, "where to send a test message (e-mail address or phone number)")) },
  { additionalProperties: false },
);

export const TestAnswer = Type.Object({
  ok: Type.Boolean(),
  detail: Type.String(),
  providerId: Nullable(Type.String()),
});

export const TemplateView = Type.Object({
  name: Type.String(),
  language: Type.String(),
  category: Type.String(),
  status: Type.String(),
  components: Type.Array(Type.Object({}, { additionalProperties: true })),
  parameters: Type.Array(Type.String(), {
    description: "the names POST /contacts/:id/conversations takes in template.parameters",
  }),
});
