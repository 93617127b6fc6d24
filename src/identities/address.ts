import * as rules from "../contacts/fields.ts";
import type { FieldError } from "../http/problem.ts";

export const CHANNELS = ["email", "whatsapp", "sms", "webchat", "api"] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * An identity's address in its stored form: e-mail lower-cased, WhatsApp and SMS numbers
 * in E.164 (national numbers read in the workspace's country), webchat and API ids as
 * given (trimmed, ≤ 255 characters). Throws a FieldError message otherwise.
 */
export function normaliseAddress(channel: Channel, address: unknown, defaultCountry: string): string {
  let value: string | null;
  if (channel === "email") value = rules.email(address)?.toLowerCase() ?? null;
  else if (channel === "whatsapp" || channel === "sms") value = rules.phone(address, defaultCountry)?.e164 ?? null;
  else value = rules.text(address, 255);
  if (value === null) throw new Error("must not be empty");
  return value;
}

/** normaliseAddress with its message as a FieldError (undefined when the address is good). */
export function checkAddress(
  channel: Channel,
  address: unknown,
  defaultCountry: string,
  field = "address",
): { address?: string; error?: FieldError } {
  const errors: FieldError[] = [];
  let result: string | undefined;
  try {
    result = rules.check(errors, field, () => normaliseAddress(channel, address, defaultCountry));
  } catch (error) {
    return { error: { field, message: (error as Error).message } };
  }
  return errors.length ? { error: errors[0] } : { address: result };
}
