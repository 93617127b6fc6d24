import { Type } from "@sinclair/typebox";
import { LIMITS } from "../contacts/fields.ts";
import { Nullable } from "../http/schemas.ts";
import { CHANNELS } from "./address.ts";

export const ChannelName = Type.Union(
  CHANNELS.map((c) => Type.Literal(c)),
  { description: "email, whatsapp, sms, webchat or api" },
);

export const Identity = Type.Object({
  channel: Type.String(),
  address: Type.String(),
  lastSeenAt: Nullable(Type.String({ format: "date-time" })),
});

const text = (max: number, description?: string) =>
  Type.Optional(Nullable(Type.String({ maxLength: max, description })));

export const Profile = Type.Object(
  {
    firstName: text(LIMITS.name),
    lastName: text(LIMITS.name),
    email: text(LIMITS.email),
    phone: text(LIMITS.phone),
    phoneCountry: Type.Optional(Type.String({ maxLength: 2 })),
    language: text(64, "BCP 47"),
    timezone: text(64, "IANA time zone"),
    externalId: text(LIMITS.externalId),
  },
  { additionalProperties: false, description: "fills the contact's empty fields only" },
);

export const IdentifyBody = Type.Object(
  {
    channel: ChannelName,
    address: Type.String({
      maxLength: 255,
      description: "e-mail address, E.164 phone number (whatsapp, sms) or a free-form id (webchat, api)",
    }),
    profile: Type.Optional(Profile),
    seenAt: Type.Optional(Type.String({ maxLength: 40, description: "ISO 8601; default now" })),
  },
  { additionalProperties: false },
);

export const IdentifyAnswer = Type.Object({ contact: Type.Ref("Contact"), created: Type.Boolean() });

export const IdentityParams = Type.Object({
  id: Type.String({ format: "uuid" }),
  channel: ChannelName,
  address: Type.String({ minLength: 1, maxLength: 255 }),
});
