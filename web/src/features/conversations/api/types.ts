/**
 * The API's channels and conversations (API.md, "Channels and conversations"), from the
 * generated API types where the server's schema says enough. A template's components are
 * free-form there (Meta's own shape), so they are written out here.
 */
import type { BodyOf, ResponseOf, Schemas } from "../../../types/index.ts";

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

/** `GET /channels`: each channel the workspace sends on, configured or not (no secrets). */
export type ChannelState = ResponseOf<"/api/v1/channels", "get">[number];

export interface TemplateComponent {
  type: "HEADER" | "BODY" | "FOOTER" | "BUTTONS";
  format?: "TEXT" | "IMAGE" | "VIDEO" | "DOCUMENT" | "LOCATION";
  text?: string;
  buttons?: { type: string; text?: string; url?: string; phone_number?: string }[];
  example?: unknown;
}

/** `GET /channels/whatsapp/templates`: an approved template, its components as Meta sends them. */
export interface Template {
  name: string;
  language: string;
  category: string;
  status: string;
  components: TemplateComponent[];
  /** The names `template.parameters` takes for this template, as the server reads it. */
  parameters?: string[];
}

export type Message = Schemas["Message"];
export type MessageStatus = Message["status"];

/** A conversation as `GET /contacts/:id/conversations` lists it, with its last message. */
export type Conversation = ResponseOf<"/api/v1/contacts/{id}/conversations", "get">["items"][number];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type StartConversation = BodyOf<"/api/v1/contacts/{id}/conversations", "post"> & { channel: SendChannel };
