import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { type Static, Type } from "@sinclair/typebox";
import { recordEvent } from "../audit/repository.ts";
import type { Config } from "../config.ts";
import * as rules from "../contacts/fields.ts";
import type { Db } from "../db/db.ts";
import { invalid, notFound, Problem } from "../http/problem.ts";
import * as S from "../http/schemas.ts";
import {
  checkWhatsApp,
  listTemplates,
  ProviderError,
  sendEmail,
  sendSms,
  sendWhatsApp,
  templateParameters,
  verifyEmail,
} from "./providers.ts";
import { deleteChannel, findChannel, listChannels, numberTakenElsewhere, saveChannel } from "./repository.ts";
import {
  ChannelKindParam,
  ChannelView,
  EmailBody,
  SmsBody,
  TemplateView,
  TestAnswer,
  TestBody,
  WhatsAppBody,
} from "./schema.ts";
import { channelKey, SecretsUnreadable, seal } from "./secrets.ts";
import { channelView, configFromRow, loadChannel } from "./service.ts";
import { CHANNEL_KINDS, type ChannelBody, type ChannelKind, channelFromBody } from "./settings.ts";

/** A provider's refusal, answered as a 422 naming the channel with the provider's own words. */
export function providerProblem(error: unknown, field = "channel"): Problem {
  if (error instanceof ProviderError || error instanceof SecretsUnreadable) {
    return invalid([{ field, message: error.message }]);
  }
  throw error;
}

export const notConfigured = (channel: string) =>
  invalid([{ field: "channel", message: `${channel} is not configured in this workspace (Settings → Channels)` }]);

export const channelRoutes =
  (db: Db, config: Config): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/channels",
      {
        config: { role: "operator" },
        schema: {
          tags: ["channels"],
          summary: "The workspace's e-mail, WhatsApp and SMS channels, configured or not (no secrets)",
          response: { 200: Type.Array(ChannelView), ...S.problems(401) },
        },
      },
      async (request) => {
        const rows = await listChannels(db, request.auth.workspace.id);
        return CHANNEL_KINDS.map((kind) =>
          channelView(
            kind,
            rows.find((r) => r.channel === kind),
          ),
        );
      },
    );

    const put = (
      channel: ChannelKind,
      body: typeof EmailBody | typeof WhatsAppBody | typeof SmsBody,
      summary: string,
    ) =>
      app.put(
        `/channels/${channel}`,
        {
          config: { role: "admin" },
          schema: {
            tags: ["channels"],
            summary,
            body,
            response: { 200: ChannelView, ...S.problems(400, 401, 403, 409, 413, 422) },
          },
        },
        async (request) => {
          const workspaceId = request.auth.workspace.id;
          const key = channelKey(config);
          const storedRow = await findChannel(db, workspaceId, channel);
          let stored: Awaited<ReturnType<typeof loadChannel>>;
          try {
            stored = storedRow && configFromRow(config, storedRow);
          } catch (error) {
            if (!(error instanceof SecretsUnreadable)) throw error;
          }
          const { config: next, errors } = await channelFromBody(
            channel,
            request.body as ChannelBody,
            stored,
            config.channelsAllowPrivate,
          );
          if (errors.length || !next) throw invalid(errors);
          if (
            next.channel === "whatsapp" &&
            (await numberTakenElsewhere(db, workspaceId, next.settings.phoneNumberId))
          ) {
            throw new Problem(409, "Another workspace has configured this WhatsApp number already.", {
              field: "phoneNumberId",
              errors: [{ field: "phoneNumberId", message: "is configured by another workspace" }],
            });
          }
          const secretsChanged = Object.keys(next.secrets).filter(
            (k) =>
              (next.secrets as Record<string, string>)[k] !==
              (stored?.secrets as Record<string, string> | undefined)?.[k],
          );
          await db.transaction(async (tx) => {
            await saveChannel(tx, workspaceId, channel, next.settings, seal(key, next.secrets), request.auth.actor);
            await recordEvent(tx, workspaceId, request.auth.actor, "channel.updated", {
              details: { channel, settings: next.settings, secretsChanged, configured: true },
            });
          });
          return channelView(channel, await findChannel(db, workspaceId, channel));
        },
      );
    put("email", EmailBody, "Configure e-mail: an SMTP server and the sender (admin)");
    put("whatsapp", WhatsAppBody, "Configure WhatsApp through Meta's Cloud API (admin)");
    put("sms", SmsBody, "Configure SMS through Twilio's Messages API (admin)");

    app.delete(
      "/channels/:channel",
      {
        config: { role: "admin" },
        schema: {
          tags: ["channels"],
          summary: "Remove a channel's settings and secrets (admin)",
          params: Type.Object({ channel: ChannelKindParam }),
          response: { 204: Type.Null(), ...S.problems(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const { channel } = request.params;
        await db.transaction(async (tx) => {
          if (!(await deleteChannel(tx, request.auth.workspace.id, channel))) throw notFound("configured channel");
          await recordEvent(tx, request.auth.workspace.id, request.auth.actor, "channel.updated", {
            details: { channel, configured: false },
          });
        });
        return reply.code(204).send(null);
      },
    );

    app.get(
      "/channels/whatsapp/templates",
      {
        config: { role: "operator" },
        schema: {
          tags: ["channels"],
          summary: "The approved WhatsApp templates, read from Meta",
          response: { 200: Type.Array(TemplateView), ...S.problems(401, 422) },
        },
      },
      async (request) => {
        const channel = await loadChannel(db, config, request.auth.workspace.id, "whatsapp").catch((e) => {
          throw providerProblem(e);
        });
        if (channel?.channel !== "whatsapp") throw notConfigured("WhatsApp");
        try {
          const templates = await listTemplates(channel.settings, channel.secrets);
          return templates.map((t) => ({ ...t, parameters: templateParameters(t) }));
        } catch (error) {
          throw providerProblem(error);
        }
      },
    );

    app.post(
      "/channels/:channel/test",
      {
        config: { role: "admin" },
        schema: {
          tags: ["channels"],
          summary: "Check a channel's settings against its provider, sending a test message to `to` (admin)",
          description:
            "E-mail: connects and logs in to the SMTP server, then sends a test e-mail to `to` (required). WhatsApp: reads the phone number from Meta with the token, and with `to` sends Meta's `hello_world` template. SMS: sends a test SMS to `to` (required). 200 when the provider accepted; 422 naming `channel` with the provider's error text otherwise.",
          params: Type.Object({ channel: ChannelKindParam }),
          body: TestBody,
          response: { 200: TestAnswer, ...S.problems(400, 401, 403, 422) },
        },
      },
      async (request) => {
        const { channel } = request.params;
        const workspace = request.auth.workspace;
        const loaded = await loadChannel(db, config, workspace.id, channel).catch((e) => {
          throw providerProblem(e);
        });
        if (!loaded) throw notConfigured(channel);
        const to = testRecipient(channel, request.body, workspace.defaultCountry);
        const subject = `Test message from Contacts (${workspace.name})`;
        const text = `This is a test message from the ${workspace.name} workspace. The ${channel} channel works.`;
        try {
          if (loaded.channel === "email") {
            await verifyEmail(loaded.settings, loaded.secrets);
            const sent = await sendEmail(loaded.settings, loaded.secrets, {
              id: `test-${Date.now()}`,
              to: to as string,
              subject,
              text,
            });
            return {
              ok: true,
              detail: `The SMTP server accepted a test e-mail to ${to}.`,
              providerId: sent.providerId,
            };
          }
          if (loaded.channel === "whatsapp") {
            const number = await checkWhatsApp(loaded.settings, loaded.secrets);
            if (!to) {
              return {
                ok: true,
                detail: `WhatsApp answers for ${number.display_phone_number ?? loaded.settings.phoneNumberId}${number.verified_name ? ` (${number.verified_name})` : ""}.`,
                providerId: null,
              };
            }
            const sent = await sendWhatsApp(loaded.settings, loaded.secrets, {
              to,
              template: { name: "hello_world", language: "en_US", parameters: {}, components: [] },
            });
            return { ok: true, detail: `WhatsApp accepted a test message to ${to}.`, providerId: sent.providerId };
          }
          const sent = await sendSms(loaded.settings, loaded.secrets, { to: to as string, text });
          return { ok: true, detail: `Twilio accepted a test SMS to ${to}.`, providerId: sent.providerId };
        } catch (error) {
          throw providerProblem(error);
        }
      },
    );
  };

function testRecipient(channel: ChannelKind, body: Static<typeof TestBody>, country: string): string | undefined {
  if (body.to === undefined || body.to.trim() === "") {
    if (channel === "whatsapp") return undefined;
    throw invalid([{ field: "to", message: "is required: where to send the test message" }]);
  }
  const errors: { field: string; message: string }[] = [];
  const to = rules.check(errors, "to", () =>
    channel === "email" ? rules.email(body.to) : rules.phone(body.to, country)?.e164,
  );
  if (errors.length || !to) throw invalid(errors.length ? errors : [{ field: "to", message: "is required" }]);
  return to;
}
