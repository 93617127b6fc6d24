import type { Message } from "../api/types.ts";

/** Meta's customer-service window: free text is allowed for 24 hours after the contact's last message. */
export const WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * When the contact's WhatsApp window on `address` closes, or `null` when it is closed:
 * 24 hours after the newest message they sent on it.
 */
export function windowClosesAt(messages: Message[], address: string, now = Date.now()): Date | null {
  let newest = Number.NEGATIVE_INFINITY;
  for (const message of messages) {
    if (message.direction !== "in" || message.channel !== "whatsapp" || message.address !== address) continue;
    newest = Math.max(newest, Date.parse(message.createdAt));
  }
  const closes = newest + WINDOW_MS;
  return closes > now ? new Date(closes) : null;
}
