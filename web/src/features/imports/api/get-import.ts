import { useQuery } from "@tanstack/react-query";
import { request } from "../../../lib/api-client.ts";
import type { Import } from "./types.ts";

/** How often an import that is being read or written is asked about. */
const POLL_MS = 500;

export const getImport = (id: string, signal?: AbortSignal) =>
  request<Import>(`/imports/${encodeURIComponent(id)}`, { signal });

/** An import, polled while the server works on it (analyzing, running). */
export const useImport = (id: string | null) =>
  useQuery({
    queryKey: importKeys.detail(id),
    queryFn: ({ signal }) => getImport(id as string, signal),
    enabled: id !== null,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === "analyzing" || status === "running" ? POLL_MS : false;
    },
  });

/** The import feature's query keys, shared by its api modules. */
export const importKeys = { detail: (id: string | null) => ["imports", id] as const };
