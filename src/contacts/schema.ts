import { Type } from "@sinclair/typebox";
import { Nullable } from "../http/schemas.ts";
import { LIMITS } from "./fields.ts";
import { DEFAULT_SORT, SORT_VALUES } from "./query.ts";

export const Contact = Type.Object(
  {
    id: Type.String({ format: "uuid" }),
    firstName: Nullable(Type.String()),
    lastName: Nullable(Type.String()),
    email: Nullable(Type.String()),
    phone: Nullable(Type.String({ description: "E.164" })),
    language: Nullable(Type.String({ description: "BCP 47, canonical" })),
    timezone: Nullable(Type.String({ description: "IANA time zone" })),
    externalId: Nullable(Type.String()),
    tags: Type.Array(Type.String()),
    createdAt: Type.String({ format: "date-time" }),
    updatedAt: Type.String({ format: "date-time" }),
    lastSeenAt: Nullable(Type.String({ format: "date-time" })),
    version: Type.Integer(),
    identities: Type.Array(
      Type.Object({
        channel: Type.String(),
        address: Type.String(),
        lastSeenAt: Nullable(Type.String({ format: "date-time" })),
      }),
      { description: "the ways of reaching the contact: (channel, address) is unique in the workspace" },
    ),
  },
  { $id: "Contact" },
);

const text = (max: number, description?: string) => Nullable(Type.String({ maxLength: max, description }));

/** The writable fields; every one is optional, and `null` clears it in a PATCH. */
const writable = {
  firstName: Type.Optional(text(LIMITS.name)),
  lastName: Type.Optional(text(LIMITS.name)),
  email: Type.Optional(text(LIMITS.email, "unique in the workspace regardless of case")),
  phone: Type.Optional(
    text(
      LIMITS.phone,
      "any usual way of writing it; national numbers are read in phoneCountry or the workspace's country",
    ),
  ),
  phoneCountry: Type.Optional(
    Type.String({ maxLength: 2, description: "ISO 3166 country a national phone is read in" }),
  ),
  language: Type.Optional(text(64, "BCP 47 language tag")),
  timezone: Type.Optional(text(64, "IANA time zone")),
  externalId: Type.Optional(text(LIMITS.externalId, "free-form, unique in the workspace")),
  lastSeenAt: Type.Optional(Nullable(Type.String({ maxLength: 40, description: "ISO 8601 date-time" }))),
  tags: Type.Optional(Type.Array(Type.String({ maxLength: LIMITS.tag }), { maxItems: 100 })),
};

export const ContactCreate = Type.Object(writable, { additionalProperties: false });
export const ContactPatch = Type.Object(writable, { additionalProperties: false });

export const ListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: "text in a name, email, external id or phone" })),
    tag: Type.Optional(
      Type.Array(Type.String({ maxLength: LIMITS.tag }), { maxItems: 20, description: "repeat for all of several" }),
    ),
    language: Type.Optional(Type.String({ maxLength: 64 })),
    channel: Type.Optional(
      Type.Union(
        ["email", "whatsapp", "sms", "webchat", "api"].map((c) => Type.Literal(c)),
        { description: "contacts with an identity on this channel" },
      ),
    ),
    sort: Type.Optional(
      Type.Union(
        SORT_VALUES.map((s) => Type.Literal(s)),
        { default: DEFAULT_SORT },
      ),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const CountQuery = Type.Object(
  {
    q: ListQuery.properties.q,
    tag: ListQuery.properties.tag,
    language: ListQuery.properties.language,
    channel: ListQuery.properties.channel,
  },
  { additionalProperties: false },
);

export const TagsBody = Type.Object(
  { tags: Type.Array(Type.String({ maxLength: LIMITS.tag }), { maxItems: 100 }) },
  { additionalProperties: false },
);
