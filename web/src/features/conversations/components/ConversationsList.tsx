import { useId } from "react";
import { Button } from "react-aria-components";
import { useConversations, useMessages } from "../api/conversations.ts";
import type { Conversation, Message } from "../api/types.ts";
import { errorText, messageSummary } from "../utils/messages.ts";
import { CHANNEL_LABELS } from "../utils/reachability.ts";

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const when = (iso: string | null | undefined) => (iso ? dateTime.format(Date.parse(iso)) : "");

/**
 * The contact's `Conversations`, newest first, each with its last message and that
 * message's status; opening one shows its messages, oldest first, each with its status.
 */
export function ConversationsList({
  contactId,
  openId,
  onOpen,
}: {
  contactId: string;
  openId: string | null;
  onOpen: (id: string | null) => void;
}) {
  const headingId = useId();
  const list = useConversations(contactId);
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="conversations" aria-labelledby={headingId}>
      <h3 id={headingId}>Conversations</h3>
      {list.isPending && <p className="muted">Loading the conversations…</p>}
      {list.isError && (
        <p className="form-error" role="alert">
          The conversations could not be loaded: {list.error.message}
        </p>
      )}
      {list.isSuccess && items.length === 0 && <p className="muted">No conversations yet.</p>}
      {items.length > 0 && (
        <ul className="conversation-list">
          {items.map((conversation) => (
            <ConversationItem
              key={conversation.id}
              conversation={conversation}
              isOpen={openId === conversation.id}
              onToggle={() => onOpen(openId === conversation.id ? null : conversation.id)}
            />
          ))}
        </ul>
      )}
      {list.hasNextPage && (
        <Button className="button small" onPress={() => void list.fetchNextPage()} isPending={list.isFetchingNextPage}>
          Show older conversations
        </Button>
      )}
    </section>
  );
}

function ConversationItem({
  conversation,
  isOpen,
  onToggle,
}: {
  conversation: Conversation;
  isOpen: boolean;
  onToggle: () => void;
}) {
  const messagesId = useId();
  const last = conversation.lastMessage;
  return (
    <li className="conversation">
      <button
        type="button"
        className="conversation-head"
        aria-expanded={isOpen}
        aria-controls={isOpen ? messagesId : undefined}
        onClick={onToggle}
      >
        <span className="conversation-channel">
          <strong>{CHANNEL_LABELS[conversation.channel] ?? conversation.channel}</strong>{" "}
          <span className="muted">{conversation.address}</span>
        </span>
        <time className="muted" dateTime={conversation.lastMessageAt ?? conversation.startedAt}>
          {when(conversation.lastMessageAt ?? conversation.startedAt)}
        </time>
        {last && (
          <span className="conversation-last">
            <span className="conversation-text">{messageSummary(last)}</span> <MessageStatus message={last} />
          </span>
        )}
      </button>
      {isOpen && <MessageList id={messagesId} conversationId={conversation.id} />}
    </li>
  );
}

function MessageList({ id, conversationId }: { id: string; conversationId: string }) {
  const messages = useMessages(conversationId);
  const items = messages.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div id={id} className="messages">
      {messages.isPending && <p className="muted">Loading the messages…</p>}
      {messages.isError && (
        <p className="form-error" role="alert">
          The messages could not be loaded: {messages.error.message}
        </p>
      )}
      <ol className="message-list" aria-label="Messages">
        {items.map((message) => (
          <MessageItem key={message.id} message={message} />
        ))}
      </ol>
      {messages.hasNextPage && (
        <Button
          className="button small"
          onPress={() => void messages.fetchNextPage()}
          isPending={messages.isFetchingNextPage}
        >
          Show newer messages
        </Button>
      )}
    </div>
  );
}

function MessageItem({ message }: { message: Message }) {
  return (
    <li className={`message ${message.direction}`}>
      <div className="message-meta muted">
        <span>{message.direction === "out" ? "Sent to contact" : "From contact"}</span>
        <time dateTime={message.createdAt}>{when(message.createdAt)}</time>
      </div>
      {message.subject && <p className="message-subject">{message.subject}</p>}
      <p className="message-text">{messageSummary(message, { full: true })}</p>
      <MessageStatus message={message} />
    </li>
  );
}

const STATUS_HINT: Record<string, string> = {
  queued: "waiting to be sent",
  sent: "accepted by the provider",
  delivered: "reached the contact's device",
  read: "opened by the contact",
};

/** The status in the API's own words, with the reason when it failed. */
function MessageStatus({ message }: { message: Message }) {
  if (message.direction === "in") return <span className="status received">received</span>;
  return (
    <span className={`status ${message.status}`} title={STATUS_HINT[message.status]}>
      <span>{message.status}</span>
      {message.status === "failed" && message.error && (
        <span className="status-error">: {errorText(message.error)}</span>
      )}
    </span>
  );
}
