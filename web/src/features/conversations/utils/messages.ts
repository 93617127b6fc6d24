import type { Message } from "../api/types.ts";

/**
 * WhatsApp's error codes an operator meets most, in words that say what to do.
 * (Meta's texts, "Re-engagement message" and "Message undeliverable", say neither.)
 */
const WHATSAPP_ERRORS: Record<string, string> = {
  "131047": "More than 24 hours have passed since the contact last wrote, so only a template can be sent.",
  "131026":
    "WhatsApp could not deliver it: the number may not be on WhatsApp, or the contact has not accepted the latest terms.",
  "131051": "WhatsApp does not support this kind of message.",
  "132001": "The template does not exist in this language, or is not approved yet.",
  "132000": "The template's variables do not match what was sent.",
  "131056": "Too many messages to this contact in a short time; try again later.",
};

/** A failed message's reason: known codes in plain words, others in the provider's own text with the code. */
export function errorText(error: { code: string | number | null; message: string }): string {
  const code = error.code === null ? "" : String(error.code);
  const known = WHATSAPP_ERRORS[code];
  if (known) return `${known} (${code})`;
  return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}

/** One line about a message: its text, or the template it was. */
export function messageSummary(message: Message, options: { full?: boolean } = {}): string {
  let text = message.text ?? "";
  if (!text && message.template) {
    const values = Object.values(message.template.parameters ?? {}).filter(Boolean);
    text = `Template ${message.template.name}${values.length ? ` (${values.join(", ")})` : ""}`;
  }
  if (!text && message.subject) text = message.subject;
  if (options.full || text.length <= 80) return text;
  return `${text.slice(0, 79).trimEnd()}…`;
}
