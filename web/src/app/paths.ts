/** The web app's pages (API.md, "The web app"). */
export const paths = {
  setup: "/setup",
  login: "/login",
  inbox: "/inbox/contacts",
  studio: "/studio/contacts",
  settings: "/studio/settings",
} as const;
