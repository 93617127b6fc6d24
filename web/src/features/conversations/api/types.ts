/** The API's channels and conversations (API.md, "Channels and conversations"). */

export const CHANNELS = ["email", "whatsapp", "sms", "webchat", "api"] as const;
export type Channel = (typeof CHANNELS)[number];
/** The channels a workspace sends on, configured in Settings → Channels. */
export type SendChannel = "email" | "whatsapp" | "sms";

export interface Identity {
  channel: Channel;
  address: string;
  lastSeenAt: string | null;
}

/** What this feature needs of a contact; the contacts feature's Contact has all of it. */
export interface ContactForConversations {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  identities?: Identity[];
}

export interface ChannelState {
  channel: SendChannel;
  configured: boolean;
  settings: Record<string, unknown> | null;
}

export interface TemplateComponent {
  type: "HEADER" | "BODY" | "FOOTER" | "BUTTONS";
  format?: "TEXT" | "IMAGE" | "VIDEO" | "DOCUMENT" | "LOCATION";
  text?: string;
  buttons?: { type: string; text?: string; url?: string; phone_number?: string }[];
  example?: unknown;
}

export interface Template {
  name: string;
  language: string;
  category: string;
  status: string;
  components: TemplateComponent[];
  /** The names `template.parameters` takes for this template, as the server reads it. */
  parameters?: string[];
}

export type MessageStatus = "queued" | "sent" | "delivered" | "read" | "failed";

export interface Message {
  id: string;
  direction: "out" | "in";
  channel: Channel;
  address: string;
  text: string | null;
  subject: string | null;
  template: { name: string; language: string; parameters?: Record<string, string> } | null;
  status: MessageStatus;
  error: { code: string | number | null; message: string } | null;
  providerId: string | null;
  sentBy: unknown;
  createdAt: string;
  statusAt: string | null;
}

export interface Conversation {
  id: string;
  channel: Channel;
  address: string;
  startedAt: string;
  lastMessageAt: string | null;
  lastMessage: Message | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface StartConversation {
  channel: SendChannel;
  address?: string;
  subject?: string;
  text?: string;
  template?: { name: string; language: string; parameters: Record<string, string> };
}
