import { useQuery } from "@tanstack/react-query";
import { queryString, request } from "../../../lib/api-client.ts";
import { WINDOW_MS, windowClosesAt } from "../utils/window.ts";
import { conversationsKey } from "./conversations.ts";
import type { Conversation, Message, Page } from "./types.ts";

/** Pages read at most per list: a day of one contact's messages fits in far fewer. */
const MAX_PAGES = 10;

async function allPages<T>(path: string, signal: AbortSignal, keepGoing: (page: Page<T>) => boolean) {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let n = 0; n < MAX_PAGES; n++) {
    const page: Page<T> = await request<Page<T>>(`${path}${queryString({ cursor })}`, { signal });
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor || !keepGoing(page)) break;
  }
  return items;
}

/**
 * When the contact's WhatsApp window on `address` closes (`null`: closed), read from the
 * conversation history: the WhatsApp conversations active in the last 24 hours and their
 * messages from the contact. The server decides in the end; this tells the operator first.
 */
export function useWhatsappWindow(contactId: string, address: string | undefined) {
  return useQuery({
    queryKey: [...conversationsKey(contactId), "window", address],
    enabled: Boolean(address),
    queryFn: async ({ signal }) => {
      const since = Date.now() - WINDOW_MS;
      const recent = (c: Conversation) => Date.parse(c.lastMessageAt ?? c.startedAt) >= since;
      const conversations = await allPages<Conversation>(
        `/contacts/${encodeURIComponent(contactId)}/conversations`,
        signal,
        (page) => page.items.every(recent),
      );
      const messages: Message[] = [];
      for (const conversation of conversations) {
        if (conversation.channel !== "whatsapp" || conversation.address !== address || !recent(conversation)) continue;
        if (conversation.lastMessage) messages.push(conversation.lastMessage);
        messages.push(
          ...(await allPages<Message>(
            `/conversations/${encodeURIComponent(conversation.id)}/messages`,
            signal,
            () => true,
          )),
        );
      }
      return windowClosesAt(messages, address as string)?.toISOString() ?? null;
    },
    staleTime: 30_000,
  });
}
