import { createElement, type MouseEvent, type ReactNode, useSyncExternalStore } from "react";

/**
 * A router small enough to read: the address bar is the state, `navigate` changes it and
 * every `useLocation` re-renders. The app has four pages, so no route tree is needed.
 */
const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener("popstate", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("popstate", listener);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

export interface AppLocation {
  pathname: string;
  search: URLSearchParams;
  href: string;
}

let cached: AppLocation | undefined;

export function useLocation(): AppLocation {
  const href = useSyncExternalStore(subscribe, snapshot);
  if (cached?.href !== href) {
    const url = new URL(href, window.location.origin);
    cached = { pathname: url.pathname, search: url.searchParams, href };
  }
  return cached;
}

export function navigate(to: string, options: { replace?: boolean } = {}) {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  for (const listener of listeners) listener();
}

/** Changes some query parameters of the current address; `null` removes one. */
export function updateSearch(changes: Record<string, string | string[] | null>, options: { replace?: boolean } = {}) {
  const params = new URLSearchParams(window.location.search);
  for (const [key, value] of Object.entries(changes)) {
    params.delete(key);
    if (value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) if (item !== "") params.append(key, item);
  }
  const search = params.toString();
  navigate(`${window.location.pathname}${search ? `?${search}` : ""}`, options);
}

export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  const current = typeof window !== "undefined" && window.location.pathname === to ? "page" : undefined;
  return createElement("a", { href: to, onClick, className, "aria-current": current }, children);
}
