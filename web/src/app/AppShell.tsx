import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { Button } from "react-aria-components";
import { useLogout } from "../features/auth/api/session.ts";
import type { Me } from "../types/index.ts";
import { paths } from "./paths.ts";

/** The header every signed-in page shares: where you are, who you are, and the way out. */
export function AppShell({ me, children }: { me: Me; children: ReactNode }) {
  const logout = useLogout();
  const name = me.user?.name ?? "API token";
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to contacts
      </a>
      <header className="topbar">
        <span className="brand">Contacts</span>
        <nav aria-label="Areas">
          <Link to={paths.inbox}>Inbox</Link>
          {me.role === "admin" && <Link to={paths.studio}>Studio</Link>}
          {me.role === "admin" && <Link to={paths.settings}>Settings</Link>}
        </nav>
        <div className="who">
          <span className="who-name">{name}</span>
          <span className="who-workspace">{me.workspace.name}</span>
        </div>
        <Button className="button ghost" onPress={() => logout.mutate()} isPending={logout.isPending}>
          Sign out
        </Button>
      </header>
      <main id="main">{children}</main>
    </div>
  );
}
