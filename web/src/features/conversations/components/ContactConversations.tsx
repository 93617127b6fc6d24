import { useState } from "react";
import type { ContactForConversations } from "../api/types.ts";
import { ConversationsList } from "./ConversationsList.tsx";
import { StartConversationDialog } from "./StartConversationDialog.tsx";

/**
 * The contact panel's way to reach the contact: `Start new conversation` and, under it,
 * the contact's `Conversations`. A conversation just started opens, so its status shows.
 */
export function ContactConversations({
  contact,
  settingsHref,
}: {
  contact: ContactForConversations;
  settingsHref?: string;
}) {
  const [openId, setOpenId] = useState<string | null>(null);
  return (
    <div className="connect">
      <StartConversationDialog contact={contact} settingsHref={settingsHref} onStarted={setOpenId} />
      <ConversationsList contactId={contact.id} openId={openId} onOpen={setOpenId} />
    </div>
  );
}
