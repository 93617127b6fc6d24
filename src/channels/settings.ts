import * as rules from "../contacts/fields.ts";
import type { FieldError } from "../http/problem.ts";
import { isPrivateHost } from "./network.ts";

export const CHANNEL_KINDS = ["email", "whatsapp", "sms"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export const DEFAULT_API = { whatsapp: "https://graph.facebook.com/v21.0", sms: "https://api.twilio.com" } as const;

export interface EmailSettings {
  /** Without its password. */
  smtpUrl: string;
  from: string;
}
export interface WhatsAppSettings {
  apiBaseUrl: string;
  phoneNumberId: string;
  businessAccountId: string;
  verifyToken: string;
}
export interface SmsSettings {
  apiBaseUrl: string;
  accountSid: string;
  from: string;
}
export interface Secrets {
  password?: string;
  accessToken?: string;
  appSecret?: string;
  authToken?: string;
}

export type ChannelConfig =
  | { channel: "email"; settings: EmailSettings; secrets: Secrets }
  | { channel: "whatsapp"; settings: WhatsAppSettings; secrets: Secrets }
  | { channel: "sms"; settings: SmsSettings; secrets: Secrets };

/** The secrets each channel needs, by the body field they come in. */
export const SECRET_FIELDS: Record<ChannelKind, (keyof Secrets)[]> = {
  email: [],
  whatsapp: ["accessToken", "appSecret"],
  sms: ["authToken"],
};

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;
// Twilio's alphanumeric sender ids: up to 11 letters, digits and spaces, at least one letter.
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;

interface Check {
  errors: FieldError[];
  allowPrivate: boolean;
}

async function publicUrl(check: Check, field: string, value: string, protocols: string[]): Promise<URL | undefined> {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    check.errors.push({ field, message: "is not a URL" });
    return undefined;
  }
  if (!protocols.includes(url.protocol)) {
    check.errors.push({ field, message: `must start with ${protocols.map((p) => `${p}//`).join(" or ")}` });
    return undefined;
  }
  if (!url.hostname) {
    check.errors.push({ field, message: "needs a host" });
    return undefined;
  }
  if (!check.allowPrivate && (await isPrivateHost(url.hostname))) {
    check.errors.push({
      field,
      message: "is a private or loopback address (set CHANNELS_ALLOW_PRIVATE=1 to allow it)",
    });
    return undefined;
  }
  return url;
}

function secret(check: Check, field: keyof Secrets, value: string | undefined, stored: Secrets | undefined) {
  if (value !== undefined && value.trim() !== "") {
    if (value.length > 4096 || /[\s\u0000-\u001f]/.test(value))
      check.errors.push({ field, message: "is not a valid secret" });
    return value;
  }
  const kept = stored?.[field];
  if (!kept) check.errors.push({ field, message: "is required" });
  return kept;
}

function id(check: Check, field: string, value: string, pattern = ID, message = "is not a valid id") {
  if (!pattern.test(value)) check.errors.push({ field, message });
  return value;
}

/** A sender for e-mail: `address` or `Name <address>`. */
function sender(check: Check, value: string) {
  const trimmed = value.trim();
  const match = /^(?:"?([^"<>]*)"?\s*)?<([^<>]+)>$/.exec(trimmed);
  const address = match ? (match[2] as string) : trimmed;
  if (!address) {
    check.errors.push({ field: "from", message: "is required" });
    return trimmed;
  }
  const errors: FieldError[] = [];
  rules.check(errors, "from", () => rules.email(address));
  if (errors.length || /[\r\n]/.test(value)) check.errors.push({ field: "from", message: "is not an e-mail address" });
  return trimmed;
}

export interface ChannelBody {
  smtpUrl?: string;
  from?: string;
  apiBaseUrl?: string;
  phoneNumberId?: string;
  businessAccountId?: string;
  accessToken?: string;
  appSecret?: string;
  verifyToken?: string;
  accountSid?: string;
  authToken?: string;
}

/**
 * A PUT body → the settings to store in the clear and the secrets to seal. A secret left
 * out keeps the one stored (a form that edits the sender need not ask for the token
 * again); on a channel not configured yet it is required.
 */
export async function channelFromBody(
  channel: ChannelKind,
  body: ChannelBody,
  stored: ChannelConfig | undefined,
  allowPrivate: boolean,
): Promise<{ config?: ChannelConfig; errors: FieldError[] }> {
  const check: Check = { errors: [], allowPrivate };
  const kept = stored?.secrets;
  if (channel === "email") {
    const url = await publicUrl(check, "smtpUrl", body.smtpUrl ?? "", ["smtp:", "smtps:"]);
    const from = sender(check, body.from ?? "");
    if (!url) return { errors: check.errors };
    let password = url.password ? decodeURIComponent(url.password) : undefined;
    if (!password && url.username && kept?.password && stored?.channel === "email") {
      // The same account without a password: keep the stored one.
      if (new URL(stored.settings.smtpUrl).username === url.username) password = kept.password;
    }
    url.password = "";
    const settings: EmailSettings = { smtpUrl: url.toString(), from };
    return { config: { channel, settings, secrets: password ? { password } : {} }, errors: check.errors };
  }
  const base = await publicUrl(check, "apiBaseUrl", body.apiBaseUrl ?? DEFAULT_API[channel], ["https:", "http:"]);
  const apiBaseUrl = base ? base.toString().replace(/\/+$/, "") : "";
  if (channel === "whatsapp") {
    const settings: WhatsAppSettings = {
      apiBaseUrl,
      phoneNumberId: id(check, "phoneNumberId", body.phoneNumberId ?? ""),
      businessAccountId: id(check, "businessAccountId", body.businessAccountId ?? ""),
      verifyToken: id(
        check,
        "verifyToken",
        body.verifyToken ?? "",
        /^[\x21-\x7e]{8,200}$/,
        "must be 8–200 printable characters without spaces",
      ),
    };
    const secrets = {
      accessToken: secret(check, "accessToken", body.accessToken, kept),
      appSecret: secret(check, "appSecret", body.appSecret, kept),
    };
    return { config: { channel, settings, secrets }, errors: check.errors };
  }
  const accountSid = id(check, "accountSid", body.accountSid ?? "", ACCOUNT_SID, "is not a Twilio Account SID (AC…)");
  const rawFrom = (body.from ?? "").trim();
  let from = rawFrom;
  if (!SERVICE_SID.test(rawFrom) && !ALPHANUMERIC_SENDER.test(rawFrom)) {
    const errors: FieldError[] = [];
    from = rules.check(errors, "from", () => rules.phone(rawFrom, "US")?.e164) ?? "";
    if (errors.length || !from || !rawFrom.startsWith("+")) {
      check.errors.push({
        field: "from",
        message: "must be a phone number in E.164 (+…), a Messaging Service SID (MG…) or an alphanumeric sender id",
      });
    }
  }
  const settings: SmsSettings = { apiBaseUrl, accountSid, from };
  const secrets = { authToken: secret(check, "authToken", body.authToken, kept) };
  return { config: { channel, settings, secrets }, errors: check.errors };
}
