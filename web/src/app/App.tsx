import { QueryClient, QueryClientProvider, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { meQuery, useMe } from "../features/auth/api/me.ts";
import { type SetupStatus, setupStatusQuery } from "../features/auth/api/setup-status.ts";
import { LoginPage } from "../features/auth/components/LoginPage.tsx";
import { SetupPage } from "../features/auth/components/SetupPage.tsx";
import { contactCountQuery } from "../features/contacts/api/get-contact-count.ts";
import { contactsQuery } from "../features/contacts/api/get-contacts.ts";
import type { Contact } from "../features/contacts/api/types.ts";
import { ContactsPage } from "../features/contacts/components/ContactsPage.tsx";
import { listParamsOf } from "../features/contacts/hooks/use-list-params.ts";
import { ContactConversations } from "../features/conversations/components/ContactConversations.tsx";
import { ImportDialog } from "../features/imports/components/ImportDialog.tsx";
import { ChannelsSettings } from "../features/settings/components/ChannelsSettings.tsx";
import { DEFAULT_SETTINGS_TAB, isSettingsTab, SettingsPage } from "../features/settings/components/SettingsPage.tsx";
import { setUnauthorizedHandler } from "../lib/api-client.ts";
import { navigate, updateSearch, useLocation } from "../lib/router.ts";
import { AppShell } from "./AppShell.tsx";
import { paths } from "./paths.ts";
import { redirectFor } from "./redirect.ts";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: (failures, error) => failures < 2 && !("status" in error && Number(error.status) < 500) },
  },
});

// A contact page asks for its rows at once, beside "who is signed in", instead of after it:
// one round trip less before the first rows show.
if (window.location.pathname === paths.inbox || window.location.pathname === paths.studio) {
  const { filters, sort } = listParamsOf(new URLSearchParams(window.location.search));
  void queryClient.prefetchInfiniteQuery(contactsQuery(filters, sort));
  void queryClient.prefetchQuery(contactCountQuery(filters));
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Routes />
    </QueryClientProvider>
  );
}

function Routes() {
  const { pathname, search } = useLocation();
  const me = useMe();
  const client = useQueryClient();

  useEffect(() => {
    // A session that ends while the page is open (signed out elsewhere, expired) leads to sign-in.
    setUnauthorizedHandler(() => {
      client.setQueryData(meQuery.queryKey, null);
    });
  }, [client]);

  const user = me.data;
  // Only a signed-out visitor needs to know whether this is a new server.
  const setup = useQuery({ ...setupStatusQuery, enabled: user === null });
  const target = redirectFor(pathname, user, setup.data);
  useEffect(() => {
    if (target) navigate(target, { replace: true });
  }, [target]);

  if (me.isPending || (user === null && setup.isPending)) return <p className="page-loading">Loading…</p>;
  const failed = me.error ?? (user === null ? setup.error : null);
  if (failed) {
    return (
      <main className="auth-page">
        <p role="alert">The server could not be reached: {failed.message}</p>
      </main>
    );
  }
  if (target) return null;
  if (!user) {
    const status = setup.data as SetupStatus;
    return pathname === paths.setup ? <SetupPage status={status} /> : <LoginPage status={status} />;
  }
  // The contact panel gets its conversations from here, so the two features stay apart.
  const settingsHref = user.role === "admin" ? paths.settings : undefined;
  const contactSections = (contact: Contact) => <ContactConversations contact={contact} settingsHref={settingsHref} />;
  return (
    <AppShell me={user}>
      {pathname === paths.settings ? (
        <SettingsPage
          tab={isSettingsTab(search.get("tab")) ? (search.get("tab") as never) : DEFAULT_SETTINGS_TAB}
          onTabChange={(tab) => updateSearch({ tab: tab === DEFAULT_SETTINGS_TAB ? null : tab })}
          panels={{ channels: <ChannelsSettings /> }}
        />
      ) : pathname === paths.studio ? (
        <ContactsPage
          key="studio"
          area="studio"
          me={user}
          actions={<ImportDialog />}
          contactSections={contactSections}
        />
      ) : (
        <ContactsPage key="inbox" area="inbox" me={user} contactSections={contactSections} />
      )}
    </AppShell>
  );
}
