import type { ChannelName } from "./channels.ts";

/** One setting of a channel as the form shows it. */
export interface SettingField {
  /** The field's name in `PUT /channels/:channel`. */
  name: string;
  label: string;
  /** Written, never read back: the field stays empty and says whether a value is set. */
  secret?: boolean;
  optional?: boolean;
  placeholder?: string;
  hint?: string;
  type?: "text" | "password" | "email";
}

export interface ChannelForm {
  channel: ChannelName;
  title: string;
  intro: string;
  fields: SettingField[];
  /** What `Send test` sends to: an e-mail address or a phone number. */
  testLabel: string;
  testPlaceholder: string;
  testHint?: string;
}

/** The channels' settings, in the names and order of API.md. */
export const CHANNEL_FORMS: ChannelForm[] = [
  {
    channel: "email",
    title: "E-mail",
    intro: "Messages go out through your SMTP server.",
    fields: [
      {
        name: "smtpUrl",
        label: "SMTP URL",
        placeholder: "smtps://user:password@smtp.example.com:465",
        hint: "smtp:// (STARTTLS, port 587) or smtps:// (TLS, port 465). The password is stored encrypted and never shown again; leave it out to keep the one saved.",
      },
      { name: "from", label: "From", placeholder: "Acme Support <support@example.com>" },
    ],
    testLabel: "Test e-mail address",
    testPlaceholder: "you@example.com",
  },
  {
    channel: "whatsapp",
    title: "WhatsApp",
    intro:
      "Meta's WhatsApp Cloud API. Point the app's webhook at /api/v1/channels/whatsapp/webhook of this server with the verify token below.",
    fields: [
      {
        name: "apiBaseUrl",
        label: "API base URL",
        optional: true,
        placeholder: "https://graph.facebook.com/v21.0",
      },
      { name: "phoneNumberId", label: "Phone number ID" },
      { name: "businessAccountId", label: "Business account ID" },
      { name: "accessToken", label: "Access token", secret: true },
      { name: "appSecret", label: "App secret", secret: true },
      { name: "verifyToken", label: "Verify token" },
    ],
    testLabel: "Test WhatsApp number",
    testPlaceholder: "+31612345678",
    testHint: "Empty: checks the settings with Meta only. With a number: sends Meta's hello_world template to it.",
  },
  {
    channel: "sms",
    title: "SMS",
    intro: "The Twilio Messages API (or a service speaking it).",
    fields: [
      { name: "apiBaseUrl", label: "API base URL", optional: true, placeholder: "https://api.twilio.com" },
      { name: "accountSid", label: "Account SID" },
      { name: "authToken", label: "Auth token", secret: true },
      { name: "from", label: "From", placeholder: "+3197010000000 or a messaging service SID" },
    ],
    testLabel: "Test phone number",
    testPlaceholder: "+31612345678",
  },
];

/** The form's starting values: what the server sent, secrets left empty. */
export function initialValues(form: ChannelForm, settings: Record<string, unknown> | null): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of form.fields) {
    const value = settings?.[field.name];
    values[field.name] = !field.secret && typeof value === "string" ? value : "";
  }
  return values;
}

/**
 * The body of `PUT /channels/:channel`: every field, except an empty optional one and an
 * empty secret of a configured channel (the server keeps the stored secret).
 */
export function settingsBody(form: ChannelForm, values: Record<string, string>, configured: boolean) {
  const body: Record<string, string> = {};
  for (const field of form.fields) {
    const value = (values[field.name] ?? "").trim();
    if (!value && (field.optional || (field.secret && configured))) continue;
    body[field.name] = value;
  }
  return body;
}
