import { createHmac, timingSafeEqual } from "node:crypto";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { ownOrigin } from "../auth/scope.ts";
import type { Config } from "../config.ts";
import {
  applyStatuses,
  createConversation,
  insertMessage,
  latestConversation,
  type Status,
} from "../conversations/repository.ts";
import type { Db } from "../db/db.ts";
import { badRequest, forbidden, unauthorized } from "../http/problem.ts";
import * as S from "../http/schemas.ts";
import { identify } from "../identities/repository.ts";
import { whatsAppMessage } from "./providers.ts";
import { type ChannelRow, smsByAccount, whatsAppByNumber, whatsAppByVerifyToken } from "./repository.ts";
import { channelKey, SecretsUnreadable, unseal } from "./secrets.ts";
import type { KeyConfig } from "./service.ts";
import type { Secrets } from "./settings.ts";

const SYSTEM = { type: "system" as const, id: null };

function secretsOf(config: KeyConfig, row: ChannelRow): Secrets | undefined {
  try {
    return unseal<Secrets>(channelKey(config), row.secrets);
  } catch (error) {
    if (error instanceof SecretsUnreadable) return undefined;
    throw error;
  }
}

function equal(a: Buffer, b: Buffer) {
  return a.length === b.length && timingSafeEqual(a, b);
}

interface MetaStatus {
  id?: string;
  status?: string;
  timestamp?: string;
  errors?: { code?: number; title?: string; message?: string; error_data?: { details?: string } }[];
}
interface MetaMessage {
  from?: string;
  id?: string;
  timestamp?: string;
  type?: string;
  text?: { body?: string };
  [kind: string]: unknown;
}
interface MetaValue {
  metadata?: { phone_number_id?: string };
  contacts?: { wa_id?: string; profile?: { name?: string } }[];
  messages?: MetaMessage[];
  statuses?: MetaStatus[];
}

const STATUSES = new Set<Status>(["sent", "delivered", "read", "failed"]);

const isoFromUnix = (seconds: string | undefined) => {
  const n = Number(seconds);
  return Number.isFinite(n) && n > 0 ? new Date(n * 1000).toISOString() : new Date().toISOString();
};

function inboundText(message: MetaMessage): string {
  if (message.type === "text") return message.text?.body ?? "";
  const part = message[message.type ?? ""] as { caption?: string; body?: string; text?: string } | undefined;
  const words = part?.caption ?? part?.body ?? part?.text;
  return words ? `[${message.type}] ${words}` : `[${message.type ?? "message"}]`;
}

/** "Zoë de Vries" → first name Zoë, last name de Vries. */
function profileName(name: string | undefined) {
  const trimmed = name?.trim().slice(0, 200);
  if (!trimmed) return {};
  const space = trimmed.indexOf(" ");
  return space < 0
    ? { firstName: trimmed }
    : { firstName: trimmed.slice(0, space), lastName: trimmed.slice(space + 1).trim() };
}

async function storeInbound(db: Db, workspaceId: string, value: MetaValue, message: MetaMessage) {
  if (!message.from || !/^\d{6,15}$/.test(message.from) || !message.id) return;
  const address = `+${message.from}`;
  const seenAt = isoFromUnix(message.timestamp);
  const profile = value.contacts?.find((c) => c.wa_id === message.from)?.profile;
  const { contact } = await identify(db, workspaceId, SYSTEM, {
    channel: "whatsapp",
    address,
    profile: profileName(profile?.name),
    seenAt,
  });
  await db.transaction(async (tx) => {
    const conversation =
      (await latestConversation(tx, workspaceId, contact.id, "whatsapp", address)) ??
      (await createConversation(tx, workspaceId, contact.id, "whatsapp", address, seenAt));
    // A replayed message (same wamid) is stored once: the unique provider id refuses it.
    await insertMessage(tx, workspaceId, {
      conversationId: conversation.id,
      contactId: contact.id,
      direction: "in",
      channel: "whatsapp",
      address,
      text: inboundText(message).slice(0, 10_000),
      status: "delivered",
      providerId: message.id,
      at: seenAt,
    });
  });
}

function metaStatuses(statuses: MetaStatus[]) {
  return statuses.flatMap((s) => {
    if (!s.id || !STATUSES.has(s.status as Status)) return [];
    const e = s.errors?.[0];
    const code = e?.code !== undefined ? String(e.code) : null;
    const error =
      s.status === "failed"
        ? { code, message: whatsAppMessage(code, e?.error_data?.details ?? e?.message ?? e?.title ?? "failed") }
        : null;
    return [{ providerId: s.id, status: s.status as Status, at: isoFromUnix(s.timestamp), error }];
  });
}

/** Twilio's signature: base64 HMAC-SHA1 of the URL and the sorted parameters, keyed with the auth token. */
export function twilioSignature(authToken: string, url: string, params: URLSearchParams) {
  const keys = [...new Set(params.keys())].sort();
  let data = url;
  for (const key of keys) for (const value of params.getAll(key)) data += key + value;
  return createHmac("sha1", authToken).update(data, "utf8").digest("base64");
}

const TWILIO_STATUS: Record<string, Status | undefined> = {
  sent: "sent",
  delivered: "delivered",
  read: "read",
  undelivered: "failed",
  failed: "failed",
};

export const webhookRoutes =
  (db: Db, config: Config): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/channels/whatsapp/webhook",
      {
        config: { role: "public" },
        schema: {
          tags: ["channels"],
          summary: "Meta's webhook verification handshake",
          security: [],
          querystring: Type.Object({
            "hub.mode": Type.Optional(Type.String({ maxLength: 64 })),
            "hub.verify_token": Type.Optional(Type.String({ maxLength: 200 })),
            "hub.challenge": Type.Optional(Type.String({ maxLength: 200 })),
          }),
          response: { 200: Type.String(), ...S.problems(400, 403) },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const token = q["hub.verify_token"];
        const known = token ? await whatsAppByVerifyToken(db, token) : [];
        if (q["hub.mode"] !== "subscribe" || known.length === 0 || q["hub.challenge"] === undefined) {
          throw forbidden("The verify token is not one of this server's WhatsApp channels.");
        }
        return reply.type("text/plain; charset=utf-8").send(q["hub.challenge"]);
      },
    );

    // The signature covers the raw bytes: this route reads its body as a Buffer.
    await app.register(async (raw) => {
      raw.removeAllContentTypeParsers();
      raw.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));

      raw.post(
        "/channels/whatsapp/webhook",
        {
          config: { role: "public" },
          schema: {
            tags: ["channels"],
            summary: "Meta's WhatsApp webhook: message statuses and inbound messages",
            description:
              "Signed by Meta: X-Hub-Signature-256 is the HMAC-SHA256 of the raw body with the app secret of the workspace whose phone_number_id the changes name; checked before anything is stored.",
            security: [],
            headers: Type.Object({ "x-hub-signature-256": Type.Optional(Type.String()) }),
            response: { 200: Type.Object({ received: Type.Integer() }), ...S.problems(400, 401) },
          },
        },
        async (request) => {
          const header = request.headers["x-hub-signature-256"];
          const given = typeof header === "string" ? /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim())?.[1] : undefined;
          if (!given) throw unauthorized("X-Hub-Signature-256 is missing or malformed.");
          const body = request.body as Buffer;
          let payload: { entry?: { changes?: { field?: string; value?: MetaValue }[] }[] };
          try {
            payload = JSON.parse(body.toString("utf8"));
          } catch {
            throw badRequest("The body is not valid JSON.");
          }
          const values = (Array.isArray(payload?.entry) ? payload.entry : []).flatMap((e) =>
            (Array.isArray(e?.changes) ? e.changes : []).map((c) => c?.value ?? {}),
          );
          const numbers = [
            ...new Set(values.map((v) => v.metadata?.phone_number_id).filter((n) => typeof n === "string")),
          ];
          const channels = numbers.length ? await whatsAppByNumber(db, numbers as string[]) : [];
          // Every number we know must be signed by its own workspace's app secret.
          const workspaceOf = new Map<string, string>();
          const wanted = Buffer.from(given.toLowerCase(), "hex");
          for (const row of channels) {
            const secret = secretsOf(config, row)?.appSecret;
            const expected = secret ? createHmac("sha256", secret).update(body).digest() : Buffer.alloc(0);
            if (!equal(expected, wanted)) throw unauthorized("The X-Hub-Signature-256 signature does not match.");
            workspaceOf.set(row.settings.phoneNumberId as string, row.workspace_id);
          }
          let received = 0;
          for (const value of values) {
            const workspaceId = workspaceOf.get(value.metadata?.phone_number_id ?? "");
            if (!workspaceId) continue;
            const statuses = metaStatuses(Array.isArray(value.statuses) ? value.statuses : []);
            await applyStatuses(db, workspaceId, "whatsapp", statuses);
            received += statuses.length;
            for (const message of Array.isArray(value.messages) ? value.messages : []) {
              await storeInbound(db, workspaceId, value, message);
              received++;
            }
          }
          return { received };
        },
      );
    });

    await app.register(async (form) => {
      form.removeAllContentTypeParsers();
      form.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_request, body, done) =>
        done(null, new URLSearchParams(body as string)),
      );
      form.post(
        "/channels/sms/status",
        {
          config: { role: "public" },
          schema: {
            tags: ["channels"],
            summary: "Twilio's status callback for SMS, checked by X-Twilio-Signature over PUBLIC_URL and the path",
            security: [],
            response: { 204: Type.Null(), ...S.problems(400, 401, 415) },
          },
        },
        async (request, reply) => {
          const signature = request.headers["x-twilio-signature"];
          if (typeof signature !== "string" || !signature) throw unauthorized("X-Twilio-Signature is missing.");
          const params = request.body as URLSearchParams;
          const accountSid = params.get("AccountSid") ?? "";
          const url = `${config.publicUrl ?? ownOrigin(request)}${request.url}`;
          const candidates = accountSid ? await smsByAccount(db, accountSid) : [];
          const verified = candidates.filter((row) => {
            const token = secretsOf(config, row)?.authToken;
            return token && equal(Buffer.from(twilioSignature(token, url, params)), Buffer.from(signature));
          });
          if (candidates.length && !verified.length)
            throw unauthorized("The X-Twilio-Signature signature does not match.");
          const status = TWILIO_STATUS[params.get("MessageStatus") ?? params.get("SmsStatus") ?? ""];
          const sid = params.get("MessageSid") ?? params.get("SmsSid");
          if (status && sid) {
            const code = params.get("ErrorCode");
            const error =
              status === "failed"
                ? {
                    code,
                    message:
                      params.get("ErrorMessage") ?? `Twilio could not deliver the SMS (error ${code ?? "unknown"}).`,
                  }
                : null;
            for (const row of verified) {
              await applyStatuses(db, row.workspace_id, "sms", [
                { providerId: sid, status, at: new Date().toISOString(), error },
              ]);
            }
          }
          return reply.code(204).send(null);
        },
      );
    });
  };
