import nodemailer from "nodemailer";
import type { EmailSettings, Secrets, SmsSettings, WhatsAppSettings } from "./settings.ts";

/**
 * A provider refused or could not be reached. `retry`: worth another attempt later (a
 * network error, a 5xx, a rate limit, an SMTP 4xx); otherwise the message failed for good.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
    readonly retry: boolean,
  ) {
    super(message);
  }
}

const TIMEOUT_MS = 15_000;

/** WhatsApp error codes explained the way an operator needs them. */
const WHATSAPP_WORDS: Record<string, string> = {
  "131047":
    "More than 24 hours have passed since the contact last wrote: WhatsApp only allows an approved template now (re-engagement message).",
  "131026":
    "WhatsApp could not deliver the message (undeliverable): the number may not be on WhatsApp, or the contact has not accepted WhatsApp's latest terms or uses an old version of the app.",
  "131049": "WhatsApp did not deliver this marketing template, to keep the contact from receiving too many.",
  "131050": "The contact has stopped marketing messages from this business.",
  "131051": "WhatsApp does not support this type of message.",
  "132000": "The template's parameters do not match the template: check the number of variables.",
  "132001": "The template does not exist in this language, or is not approved yet.",
  "470":
    "More than 24 hours have passed since the contact last wrote: WhatsApp only allows an approved template now (re-engagement message).",
};

export function whatsAppMessage(code: string | null, providerText: string): string {
  const words = code ? WHATSAPP_WORDS[code] : undefined;
  return words ? `${words} (${providerText})` : providerText;
}

async function call(url: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, redirect: "error", signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new ProviderError(`The provider could not be reached (${cause}).`, null, true);
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: keep the text for the error message.
  }
  return { status: response.status, body };
}

const retryable = (status: number) => status >= 500 || status === 429 || status === 408;

// ---- E-mail (SMTP through nodemailer) ----

function transport(settings: EmailSettings, secrets: Secrets) {
  const url = new URL(settings.smtpUrl);
  if (secrets.password) url.password = encodeURIComponent(secrets.password);
  return nodemailer.createTransport(url.toString(), {
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS * 2,
  } as never);
}

function smtpError(error: unknown): ProviderError {
  const e = error as { responseCode?: number; response?: string; code?: string; message?: string };
  if (e.responseCode) {
    // SMTP: 5xx is a permanent refusal, 4xx a temporary one.
    return new ProviderError(e.response ?? e.message ?? "refused", String(e.responseCode), e.responseCode < 500);
  }
  const auth = e.code === "EAUTH";
  return new ProviderError(
    auth
      ? `The SMTP server refused the login: ${e.response ?? e.message}`
      : `The SMTP server could not be reached (${e.code ?? e.message}).`,
    e.code ?? null,
    !auth,
  );
}

export function messageIdFor(id: string, from: string) {
  const domain = /@([^>\s]+)>?$/.exec(from)?.[1] ?? "contacts.invalid";
  return `<${id}@${domain}>`;
}

export async function sendEmail(
  settings: EmailSettings,
  secrets: Secrets,
  message: { id: string; to: string; subject: string; text: string },
): Promise<{ providerId: string }> {
  const mailer = transport(settings, secrets);
  const messageId = messageIdFor(message.id, settings.from);
  try {
    // A stable Message-ID: a message sent again after a crash is the same message to the
    // receiving servers, which drop the second copy.
    await mailer.sendMail({
      from: settings.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      messageId,
    });
    return { providerId: messageId };
  } catch (error) {
    throw smtpError(error);
  } finally {
    mailer.close();
  }
}

export async function verifyEmail(settings: EmailSettings, secrets: Secrets) {
  const mailer = transport(settings, secrets);
  try {
    await mailer.verify();
  } catch (error) {
    throw smtpError(error);
  } finally {
    mailer.close();
  }
}

// ---- WhatsApp (Meta's Cloud API) ----

interface MetaError {
  error?: { message?: string; type?: string; code?: number; error_data?: { details?: string }; fbtrace_id?: string };
}

function metaError(status: number, body: unknown): ProviderError {
  const error = (body as MetaError | null)?.error;
  const code = error?.code !== undefined ? String(error.code) : String(status);
  const text = [error?.message, error?.error_data?.details].filter(Boolean).join(": ") || `HTTP ${status}`;
  // 130429 and 131056: throughput and pair rate limits; 131000, 1, 2: Meta's own trouble.
  const limited = ["130429", "131056", "131000", "1", "2", "4", "80007"].includes(code);
  return new ProviderError(whatsAppMessage(code, text), code, retryable(status) || limited);
}

const bearer = (secrets: Secrets) => ({ authorization: `Bearer ${secrets.accessToken ?? ""}` });

export interface TemplateComponent {
  type: string;
  format?: string;
  text?: string;
  buttons?: { type: string; text?: string; url?: string }[];
  [key: string]: unknown;
}
export interface Template {
  name: string;
  language: string;
  category: string;
  status: string;
  components: TemplateComponent[];
}

export async function listTemplates(settings: WhatsAppSettings, secrets: Secrets): Promise<Template[]> {
  const templates: Template[] = [];
  let url: string | undefined = `${settings.apiBaseUrl}/${settings.businessAccountId}/message_templates?limit=200`;
  for (let page = 0; url && page < 20; page++) {
    const { status, body } = await call(url, { headers: bearer(secrets) });
    if (status !== 200) throw metaError(status, body);
    const answer = body as { data?: Template[]; paging?: { next?: string } };
    for (const t of answer.data ?? []) {
      if (t.status !== "APPROVED") continue;
      templates.push({
        name: t.name,
        language: t.language,
        category: t.category,
        status: t.status,
        components: t.components ?? [],
      });
    }
    const next = answer.paging?.next;
    // Only follow pages on the provider's own host.
    url = next && new URL(next).host === new URL(settings.apiBaseUrl).host ? next : undefined;
  }
  return templates;
}

/** The parameters a template asks for, by the names the API takes them in (see docs/channels.md). */
export function templateParameters(template: Template): string[] {
  const names: string[] = [];
  const vars = (text: string | undefined) =>
    [...(text ?? "").matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1] as string);
  for (const component of template.components) {
    const type = component.type.toUpperCase();
    if (type === "BODY") names.push(...new Set(vars(component.text)));
    if (type === "HEADER") {
      if (component.format && component.format !== "TEXT") names.push("header");
      else names.push(...new Set(vars(component.text).map((v) => `header.${v}`)));
    }
    if (type === "BUTTONS") {
      (component.buttons ?? []).forEach((button, index) => {
        if (button.type?.toUpperCase() === "URL")
          names.push(...new Set(vars(button.url).map((v) => `button.${index}.${v}`)));
      });
    }
  }
  return names;
}

export interface TemplateSend {
  name: string;
  language: string;
  parameters: Record<string, string>;
  components: TemplateComponent[];
}

/** Meta's `template` object: the components with their parameters, in the template's order. */
export function templatePayload(t: TemplateSend) {
  const components: object[] = [];
  const param = (key: string, name: string) => {
    const value = { type: "text", text: t.parameters[key] ?? "" } as Record<string, string>;
    if (!/^\d+$/.test(name)) value.parameter_name = name;
    return value;
  };
  const vars = (text: string | undefined) => [
    ...new Set([...(text ?? "").matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1] as string)),
  ];
  for (const component of t.components) {
    const type = component.type.toUpperCase();
    if (type === "HEADER") {
      if (component.format && component.format !== "TEXT") {
        const kind = component.format.toLowerCase();
        components.push({ type: "header", parameters: [{ type: kind, [kind]: { link: t.parameters.header ?? "" } }] });
      } else {
        const names = vars(component.text);
        if (names.length) components.push({ type: "header", parameters: names.map((n) => param(`header.${n}`, n)) });
      }
    }
    if (type === "BODY") {
      const names = vars(component.text);
      if (names.length) components.push({ type: "body", parameters: names.map((n) => param(n, n)) });
    }
    if (type === "BUTTONS") {
      (component.buttons ?? []).forEach((button, index) => {
        const names = button.type?.toUpperCase() === "URL" ? vars(button.url) : [];
        if (names.length) {
          components.push({
            type: "button",
            sub_type: "url",
            index: String(index),
            parameters: names.map((n) => ({ type: "text", text: t.parameters[`button.${index}.${n}`] ?? "" })),
          });
        }
      });
    }
  }
  return { name: t.name, language: { code: t.language }, ...(components.length ? { components } : {}) };
}

export async function sendWhatsApp(
  settings: WhatsAppSettings,
  secrets: Secrets,
  message: { to: string; text?: string | null; template?: TemplateSend | null },
): Promise<{ providerId: string }> {
  const body = message.template
    ? {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: message.to,
        type: "template",
        template: templatePayload(message.template),
      }
    : {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: message.to,
        type: "text",
        text: { preview_url: false, body: message.text ?? "" },
      };
  const { status, body: answer } = await call(`${settings.apiBaseUrl}/${settings.phoneNumberId}/messages`, {
    method: "POST",
    headers: { ...bearer(secrets), "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (status < 200 || status >= 300) throw metaError(status, answer);
  const id = (answer as { messages?: { id?: string }[] } | null)?.messages?.[0]?.id;
  if (!id) throw new ProviderError("WhatsApp answered without a message id.", null, false);
  return { providerId: id };
}

export async function checkWhatsApp(settings: WhatsAppSettings, secrets: Secrets) {
  const { status, body } = await call(
    `${settings.apiBaseUrl}/${settings.phoneNumberId}?fields=display_phone_number,verified_name`,
    { headers: bearer(secrets) },
  );
  if (status !== 200) throw metaError(status, body);
  return body as { display_phone_number?: string; verified_name?: string };
}

// ---- SMS (Twilio's Messages API) ----

export async function sendSms(
  settings: SmsSettings,
  secrets: Secrets,
  message: { to: string; text: string; statusCallback?: string },
): Promise<{ providerId: string }> {
  const form = new URLSearchParams();
  form.set("To", message.to);
  form.set(settings.from.startsWith("MG") ? "MessagingServiceSid" : "From", settings.from);
  form.set("Body", message.text);
  if (message.statusCallback) form.set("StatusCallback", message.statusCallback);
  const basic = Buffer.from(`${settings.accountSid}:${secrets.authToken ?? ""}`).toString("base64");
  const { status, body } = await call(
    `${settings.apiBaseUrl}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/Messages.json`,
    {
      method: "POST",
      headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    },
  );
  if (status < 200 || status >= 300) {
    const error = body as { code?: number; message?: string } | null;
    const code = error?.code !== undefined ? String(error.code) : String(status);
    throw new ProviderError(error?.message ?? `HTTP ${status}`, code, retryable(status));
  }
  const sid = (body as { sid?: string } | null)?.sid;
  if (!sid) throw new ProviderError("Twilio answered without a message SID.", null, false);
  return { providerId: sid };
}
