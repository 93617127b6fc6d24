/** The web app's pages (API.md, "The web app"). */
export const paths = {
  setup: "/setup",
  login: "/login",
  inbox: "/inbox/contacts",
  studio: "/studio/contacts",
  settings: "/studio/settings",
  /** Settings → Channels, where an admin sets up e-mail, WhatsApp and SMS. */
  channelSettings: "/studio/settings#channels",
} as const;
