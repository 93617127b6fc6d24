export { CHANNEL_LABELS } from "../../../components/ChannelMark.tsx";

import type { ChannelState, ContactForConversations, SendChannel } from "../api/types.ts";

/** One way to start a conversation with a contact: a channel and the address on it. */
export interface Reach {
  channel: SendChannel;
  address: string;
  /** Whether the workspace has set the channel up; a channel it has not is shown, not offered. */
  configured: boolean;
}

export const SEND_CHANNELS: SendChannel[] = ["email", "whatsapp", "sms"];

/**
 * Where the contact can be reached: its own e-mail (e-mail) and phone (SMS and WhatsApp),
 * then its identities on those channels, each address once, in the order e-mail, WhatsApp,
 * SMS. Web chat and API identities are ways the contact reaches the bots, not ways to
 * reach them, so they are left out.
 */
export function reachability(contact: ContactForConversations, channels: ChannelState[] | undefined): Reach[] {
  const configured = new Set((channels ?? []).filter((c) => c.configured).map((c) => c.channel));
  const found = new Map<SendChannel, string[]>(SEND_CHANNELS.map((channel) => [channel, []]));
  const add = (channel: SendChannel, address: string | null | undefined) => {
    if (!address) return;
    const list = found.get(channel) as string[];
    const key = channel === "email" ? address.toLowerCase() : address;
    if (!list.some((known) => (channel === "email" ? known.toLowerCase() : known) === key)) list.push(address);
  };
  add("email", contact.email);
  add("whatsapp", contact.phone);
  add("sms", contact.phone);
  for (const identity of contact.identities ?? []) {
    if (identity.channel === "email" || identity.channel === "whatsapp" || identity.channel === "sms") {
      add(identity.channel, identity.address);
    }
  }
  return SEND_CHANNELS.flatMap((channel) =>
    (found.get(channel) as string[]).map((address) => ({ channel, address, configured: configured.has(channel) })),
  );
}

export const reachKey = (reach: Pick<Reach, "channel" | "address">) => `${reach.channel}:${reach.address}`;
