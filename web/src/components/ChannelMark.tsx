/** The channels a contact reaches the workspace on (API.md, "Channels and conversations"). */
export const CHANNEL_LABELS: Record<string, string> = {
  email: "E-mail",
  whatsapp: "WhatsApp",
  sms: "SMS",
  webchat: "Web chat",
  api: "API",
};

export const CHANNEL_ORDER = ["email", "whatsapp", "sms", "webchat", "api"] as const;

/** Two letters each, so the marks stay legible small and need no icon font or image. */
const SHORT: Record<string, string> = { email: "@", whatsapp: "WA", sms: "SMS", webchat: "WC", api: "API" };

/** A small mark for a channel; its accessible name is the channel's full name (and `title` shows it on hover). */
export function ChannelMark({ channel, detail }: { channel: string; detail?: string }) {
  const label = CHANNEL_LABELS[channel] ?? channel;
  const text = detail ? `${label}: ${detail}` : label;
  return (
    <span className={`channel-mark channel-${channel}`} title={text}>
      <span aria-hidden="true">{SHORT[channel] ?? channel}</span>
      <span className="sr-only">{text}</span>
    </span>
  );
}

/** The channels of a contact's identities, each once, in the usual order. */
export function seenChannels(identities: { channel: string }[] | undefined): string[] {
  const seen = new Set((identities ?? []).map((identity) => identity.channel));
  return CHANNEL_ORDER.filter((channel) => seen.has(channel));
}
