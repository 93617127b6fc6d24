import type { SetupStatus } from "../features/auth/api/setup-status.ts";
import type { Me } from "../types/index.ts";
import { paths } from "./paths.ts";

/** Where a signed-in user starts: operators in the Inbox, admins in the Studio. */
export const homeOf = (me: Me) => (me.role === "admin" ? paths.studio : paths.inbox);

/**
 * The page to go to instead of `pathname`, or null when it is the right one. `me` is
 * undefined while it loads (no decision yet) and null when nobody is signed in; `setup`
 * (`GET /setup`) is undefined while it loads, and only matters to a signed-out visitor.
 */
export function redirectFor(pathname: string, me: Me | null | undefined, setup?: SetupStatus): string | null {
  if (me === undefined) return null;
  if (!me) {
    if (!setup) return null;
    // A new server: nobody can sign in yet, so every page leads to setup.
    if (setup.firstRun) return pathname === paths.setup ? null : paths.setup;
    if (pathname === paths.setup) return setup.open ? null : paths.login;
    return pathname === paths.login ? null : paths.login;
  }
  if (pathname === paths.inbox) return null;
  if (pathname === paths.studio || pathname === paths.settings) return me.role === "admin" ? null : paths.inbox;
  return homeOf(me);
}
