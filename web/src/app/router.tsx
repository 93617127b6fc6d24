import { type QueryClient, useQuery } from "@tanstack/react-query";
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  type ErrorComponentProps,
  Outlet,
  redirect,
} from "@tanstack/react-router";
import { meQuery } from "../features/auth/api/me.ts";
import { setupStatusQuery } from "../features/auth/api/setup-status.ts";
import { LoginPage } from "../features/auth/components/LoginPage.tsx";
import { SetupPage } from "../features/auth/components/SetupPage.tsx";
import { contactCountQuery } from "../features/contacts/api/get-contact-count.ts";
import { contactsQuery } from "../features/contacts/api/get-contacts.ts";
import { invalidateContacts } from "../features/contacts/api/keys.ts";
import type { Contact } from "../features/contacts/api/types.ts";
import { ContactsPage } from "../features/contacts/components/ContactsPage.tsx";
import { type ListSearch, listParamsOf, validateListSearch } from "../features/contacts/hooks/use-list-params.ts";
import { ContactConversations } from "../features/conversations/components/ContactConversations.tsx";
import { ImportDialog } from "../features/imports/components/ImportDialog.tsx";
import { ChannelsSettings } from "../features/settings/components/ChannelsSettings.tsx";
import {
  DEFAULT_SETTINGS_TAB,
  isSettingsTab,
  SettingsPage,
  type SettingsTab,
} from "../features/settings/components/SettingsPage.tsx";
import { bindRouter } from "../lib/navigation.ts";
import { parseSearch, stringifySearch } from "../lib/search-params.ts";
import { AppShell } from "./AppShell.tsx";
import { paths } from "./paths.ts";
import { redirectFor } from "./redirect.ts";

export interface RouterContext {
  queryClient: QueryClient;
}

/**
 * Every page's beforeLoad: who is signed in (`GET /me`, cached) and, for a signed-out
 * visitor, whether this is a new server (`GET /setup`); then the page that fits
 * (redirect.ts) instead of this one, or this one.
 */
async function guard({ context, location }: { context: RouterContext; location: { pathname: string } }) {
  const me = await context.queryClient.ensureQueryData(meQuery);
  const setup = me ? undefined : await context.queryClient.ensureQueryData(setupStatusQuery);
  const target = redirectFor(location.pathname, me, setup);
  if (target) throw redirect({ to: target, replace: true });
  return { me, setup };
}

function ServerUnreachable({ error }: ErrorComponentProps) {
  return (
    <main className="auth-page">
      <p role="alert">The server could not be reached: {error instanceof Error ? error.message : String(error)}</p>
    </main>
  );
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  errorComponent: ServerUnreachable,
});

/** `/` and any unknown address: the guard sends the visitor where they belong. */
const indexRoute = createRoute({ getParentRoute: () => rootRoute, path: "/", beforeLoad: guard });
const elsewhereRoute = createRoute({ getParentRoute: () => rootRoute, path: "$", beforeLoad: guard });

const setupRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: paths.setup,
  beforeLoad: guard,
  component: function Setup() {
    const { setup } = setupRoute.useRouteContext();
    return setup ? <SetupPage status={setup} /> : null;
  },
});

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: paths.login,
  beforeLoad: guard,
  component: function Login() {
    const { setup } = loginRoute.useRouteContext();
    return setup ? <LoginPage status={setup} /> : null;
  },
});

/** The signed-in pages share the header. */
const shellRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "signed-in",
  component: function Shell() {
    const me = useQuery(meQuery).data;
    // Signed out under the page (a 401 elsewhere): the guard leads to sign-in next.
    if (!me) return null;
    return (
      <AppShell me={me}>
        <Outlet />
      </AppShell>
    );
  },
});

/**
 * A contact list's beforeLoad asks for its first page and count before it awaits `/me`,
 * so all three travel together: one round trip less before the first rows show.
 */
function listBeforeLoad(options: { context: RouterContext; location: { pathname: string }; search: ListSearch }) {
  const { filters, sort } = listParamsOf(options.search);
  void options.context.queryClient.prefetchInfiniteQuery(contactsQuery(filters, sort));
  void options.context.queryClient.prefetchQuery(contactCountQuery(filters));
  return guard(options);
}

/** The contact panel gets its conversations from here, so the two features stay apart. */
function contactSectionsFor(role: string) {
  const settingsHref = role === "admin" ? paths.settings : undefined;
  return (contact: Contact) => <ContactConversations contact={contact} settingsHref={settingsHref} />;
}

const inboxRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: paths.inbox,
  validateSearch: validateListSearch,
  beforeLoad: listBeforeLoad,
  component: function Inbox() {
    const { me } = inboxRoute.useRouteContext();
    if (!me) return null;
    return <ContactsPage key="inbox" area="inbox" me={me} contactSections={contactSectionsFor(me.role)} />;
  },
});

const studioRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: paths.studio,
  validateSearch: validateListSearch,
  beforeLoad: listBeforeLoad,
  component: function Studio() {
    const { me, queryClient } = studioRoute.useRouteContext();
    if (!me) return null;
    return (
      <ContactsPage
        key="studio"
        area="studio"
        me={me}
        actions={<ImportDialog onImported={() => invalidateContacts(queryClient)} />}
        contactSections={contactSectionsFor(me.role)}
      />
    );
  },
});

const settingsRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: paths.settings,
  validateSearch: (raw: Record<string, unknown>): { tab?: SettingsTab } => ({
    tab: isSettingsTab(raw.tab) && raw.tab !== DEFAULT_SETTINGS_TAB ? raw.tab : undefined,
  }),
  beforeLoad: guard,
  component: function Settings() {
    const { tab } = settingsRoute.useSearch();
    const navigate = settingsRoute.useNavigate();
    return (
      <SettingsPage
        tab={tab ?? DEFAULT_SETTINGS_TAB}
        onTabChange={(next) => void navigate({ search: { tab: next === DEFAULT_SETTINGS_TAB ? undefined : next } })}
        panels={{ channels: <ChannelsSettings /> }}
      />
    );
  },
});

const routeTree = rootRoute.addChildren([
  indexRoute,
  setupRoute,
  loginRoute,
  shellRoute.addChildren([inboxRoute, studioRoute, settingsRoute]),
  elsewhereRoute,
]);

export function createAppRouter(queryClient: QueryClient) {
  const router = createRouter({
    routeTree,
    context: { queryClient },
    parseSearch,
    stringifySearch,
    defaultPendingComponent: () => <p className="page-loading">Loading…</p>,
    // Who is signed in is cached by TanStack Query; the router itself keeps nothing stale.
    defaultPreloadStaleTime: 0,
  });
  bindRouter(router);
  return router;
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
