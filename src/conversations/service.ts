import type { Actor } from "../audit/repository.ts";
import { listTemplates, templateParameters } from "../channels/providers.ts";
import { notConfigured, providerProblem } from "../channels/routes.ts";
import { loadChannel } from "../channels/service.ts";
import type { Config } from "../config.ts";
import { getContact } from "../contacts/store.ts";
import type { Db } from "../db/db.ts";
import { type FieldError, invalid } from "../http/problem.ts";
import { type Channel, checkAddress } from "../identities/address.ts";
import { identitiesOf } from "../identities/repository.ts";
import type { Workspace } from "../workspaces/repository.ts";
import { createConversation, insertMessage, lastInbound } from "./repository.ts";

export const WINDOW_MS = 24 * 60 * 60 * 1000;
const NAMES = { email: "E-mail", whatsapp: "WhatsApp", sms: "SMS" } as const;

export interface StartRequest {
  channel: Channel;
  address?: string;
  subject?: string;
  text?: string;
  template?: { name: string; language: string; parameters?: Record<string, string> };
}

const blank = (v: string | undefined) => v === undefined || v.trim() === "";

/**
 * Starts a conversation with a contact: checks that the channel is configured, that the
 * contact can be reached on it, and what the channel needs (a subject and text for
 * e-mail, text for SMS, for WhatsApp text inside the 24-hour window or else an approved
 * template with every parameter), then stores the conversation and its first message,
 * `queued` for the sender.
 */
export async function startConversation(
  db: Db,
  config: Config,
  workspace: Workspace,
  actor: Actor,
  contactId: string,
  body: StartRequest,
) {
  const contact = await getContact(db, workspace.id, contactId);
  const channel = body.channel;
  if (channel !== "email" && channel !== "whatsapp" && channel !== "sms") {
    throw invalid([
      { field: "channel", message: `messages cannot be started on ${channel}; use email, whatsapp or sms` },
    ]);
  }
  const settings = await loadChannel(db, config, workspace.id, channel).catch((e) => {
    throw providerProblem(e);
  });
  if (!settings) throw notConfigured(NAMES[channel]);

  // Where the contact can be reached: identities on the channel (last seen first), then its own field.
  const reachable = (await identitiesOf(db, workspace.id, contact.id, channel)).map((i) => i.address);
  const own = channel === "email" ? contact.email?.toLowerCase() : contact.phone;
  if (own && !reachable.includes(own)) reachable.push(own);
  let address: string;
  if (body.address !== undefined) {
    const checked = checkAddress(channel, body.address, workspace.defaultCountry);
    if (checked.error) throw invalid([checked.error]);
    address = checked.address as string;
    if (!reachable.includes(address)) {
      throw invalid([{ field: "address", message: `is not one of this contact's ${NAMES[channel]} addresses` }]);
    }
  } else {
    const first = reachable[0];
    if (!first) {
      throw invalid([
        {
          field: "channel",
          message: `the contact cannot be reached by ${NAMES[channel]}: it has no ${channel === "email" ? "e-mail address" : "phone number"}`,
        },
      ]);
    }
    address = first;
  }

  const errors: FieldError[] = [];
  let template: { name: string; language: string; parameters: Record<string, string>; components: unknown[] } | null =
    null;
  if (channel === "email") {
    if (blank(body.subject)) errors.push({ field: "subject", message: "is required for an e-mail" });
    else if (/[\r\n]/.test(body.subject as string)) errors.push({ field: "subject", message: "must be one line" });
    if (blank(body.text)) errors.push({ field: "text", message: "is required" });
    if (body.template) errors.push({ field: "template", message: "is for WhatsApp only" });
  } else if (channel === "sms") {
    if (blank(body.text)) errors.push({ field: "text", message: "is required" });
    else if ((body.text as string).length > 1600)
      errors.push({ field: "text", message: "must be at most 1600 characters" });
    if (body.subject !== undefined) errors.push({ field: "subject", message: "is for e-mail only" });
    if (body.template) errors.push({ field: "template", message: "is for WhatsApp only" });
  } else {
    if (body.subject !== undefined) errors.push({ field: "subject", message: "is for e-mail only" });
    const inbound = await lastInbound(db, workspace.id, contact.id, "whatsapp", address);
    const open = inbound !== null && Date.now() - Date.parse(inbound) < WINDOW_MS;
    if (body.template) {
      if (!blank(body.text)) errors.push({ field: "text", message: "send either text or a template, not both" });
      if (settings.channel !== "whatsapp") throw notConfigured("WhatsApp");
      let templates: Awaited<ReturnType<typeof listTemplates>>;
      try {
        templates = await listTemplates(settings.settings, settings.secrets);
      } catch (error) {
        throw providerProblem(error, "template");
      }
      const found = templates.find((t) => t.name === body.template?.name && t.language === body.template?.language);
      if (!found) {
        errors.push({ field: "template.name", message: "is not an approved template in this language" });
      } else {
        const given = body.template.parameters ?? {};
        const needed = templateParameters(found);
        for (const name of needed) {
          if (blank(given[name]))
            errors.push({ field: `template.parameters.${name}`, message: "is required by the template" });
        }
        for (const name of Object.keys(given)) {
          if (!needed.includes(name))
            errors.push({ field: `template.parameters.${name}`, message: "is not a parameter of this template" });
        }
        template = { name: found.name, language: found.language, parameters: given, components: found.components };
      }
    } else if (blank(body.text)) {
      errors.push(
        open
          ? { field: "text", message: "is required" }
          : { field: "template", message: "is required outside the 24-hour window" },
      );
    } else if (!open) {
      errors.push({
        field: "text",
        message: "free text is only allowed within 24 hours of the contact's last message: send an approved template",
      });
    } else if ((body.text as string).length > 4096) {
      errors.push({ field: "text", message: "must be at most 4096 characters" });
    }
  }
  if (errors.length) throw invalid(errors);

  return db.transaction(async (tx) => {
    const conversation = await createConversation(tx, workspace.id, contact.id, channel, address);
    const message = await insertMessage(tx, workspace.id, {
      conversationId: conversation.id,
      contactId: contact.id,
      direction: "out",
      channel,
      address,
      subject: channel === "email" ? (body.subject as string).trim() : null,
      text: template ? null : (body.text as string),
      template,
      status: "queued",
      sentBy: actor,
    });
    return { conversation, message };
  });
}
