import type { Contact } from "../api/types.ts";

/** The name a person sees for a contact; a contact without a name goes by its email or phone. */
export function contactName(contact: Pick<Contact, "firstName" | "lastName" | "email" | "phone" | "externalId">) {
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(" ");
  return name || contact.email || contact.phone || contact.externalId || "Unnamed contact";
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

/** "5 minutes ago", "yesterday", or a date when it is more than a week ago. */
export function lastSeen(iso: string | null, now = Date.now()): string {
  if (!iso) return "Never";
  const time = Date.parse(iso);
  const seconds = Math.round((time - now) / 1000);
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ["second", 60],
    ["minute", 3600],
    ["hour", 86_400],
    ["day", 7 * 86_400],
  ];
  let unit = 1;
  for (const [name, limit] of steps) {
    if (Math.abs(seconds) < limit) return relative.format(Math.round(seconds / unit), name);
    unit = limit;
  }
  return dateTime.format(time);
}

export const formatDateTime = (iso: string) => dateTime.format(Date.parse(iso));
