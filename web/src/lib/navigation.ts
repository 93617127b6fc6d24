import type { AnyRouter } from "@tanstack/react-router";

/**
 * Navigation for code outside React's render (mutation callbacks, the 401 handler): the
 * app binds its TanStack router here once, so features and lib can change the address
 * without importing the app. Inside components, TanStack's own hooks and Link are used.
 */
let bound: AnyRouter | undefined;

export function bindRouter(router: AnyRouter) {
  bound = router;
}

function router(): AnyRouter {
  if (!bound) throw new Error("The router is not bound yet");
  return bound;
}

/** Goes to one of the app's pages. */
export function navigateTo(to: string, options: { replace?: boolean } = {}) {
  return router().navigate({ to, replace: options.replace });
}

/** Changes some search params of the current page; `null` or `undefined` removes one. */
export function updateSearch(changes: Record<string, unknown>, options: { replace?: boolean } = {}) {
  return router().navigate({
    to: ".",
    search: (previous: Record<string, unknown>) => {
      const next = { ...previous };
      for (const [key, value] of Object.entries(changes)) {
        if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) {
          delete next[key];
        } else next[key] = value;
      }
      return next;
    },
    replace: options.replace,
  } as never);
}

/** Runs every route's checks again (who is signed in changed under the page). */
export function revalidateRoutes() {
  return router().invalidate();
}
