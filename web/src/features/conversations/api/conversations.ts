import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { queryString, request } from "../../../lib/api-client.ts";
import type { Conversation, Message, Page, StartConversation } from "./types.ts";

/** While a message is on its way its status changes on the server; the panel asks again this often. */
export const STATUS_POLL_MS = 2_000;
/** Otherwise the panel still looks for new messages from the contact now and then. */
export const IDLE_POLL_MS = 30_000;

const inFlight = (message: Message | null | undefined) =>
  message?.direction === "out" && (message.status === "queued" || message.status === "sent");

export const conversationsKey = (contactId: string) => ["contacts", "conversations", contactId] as const;

/** The contact's conversations, newest first, a page at a time. */
export const useConversations = (contactId: string) =>
  useInfiniteQuery({
    queryKey: conversationsKey(contactId),
    queryFn: ({ pageParam, signal }) =>
      request<Page<Conversation>>(
        `/contacts/${encodeURIComponent(contactId)}/conversations${queryString({ cursor: pageParam })}`,
        { signal },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.items.some((c) => inFlight(c.lastMessage)))
        ? STATUS_POLL_MS
        : IDLE_POLL_MS,
  });

export const messagesKey = (conversationId: string) => ["conversations", "messages", conversationId] as const;

/** A conversation's messages, oldest first; polled while one of them is still on its way. */
export const useMessages = (conversationId: string, enabled = true) =>
  useInfiniteQuery({
    queryKey: messagesKey(conversationId),
    queryFn: ({ pageParam, signal }) =>
      request<Page<Message>>(
        `/conversations/${encodeURIComponent(conversationId)}/messages${queryString({ cursor: pageParam })}`,
        { signal },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.items.some(inFlight)) ? STATUS_POLL_MS : IDLE_POLL_MS,
  });

export const startConversation = ({ contactId, body }: { contactId: string; body: StartConversation }) =>
  request<{ conversation: Conversation; message: Message }>(
    `/contacts/${encodeURIComponent(contactId)}/conversations`,
    { method: "POST", body },
  );

export function useStartConversation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: startConversation,
    onSuccess: (_answer, { contactId }) => {
      void client.invalidateQueries({ queryKey: conversationsKey(contactId) });
      void client.invalidateQueries({ queryKey: ["conversations", "messages"] });
    },
  });
}
