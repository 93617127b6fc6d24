import { queryOptions, useQuery } from "@tanstack/react-query";
import { request } from "../../../lib/api-client.ts";
import type { ResponseOf } from "../../../types/index.ts";

/** `GET /setup`: whether `POST /setup` would be accepted now, and whether no workspace exists yet. */
export type SetupStatus = ResponseOf<"/api/v1/setup", "get">;

export const getSetupStatus = () => request<SetupStatus>("/setup");

export const setupStatusQuery = queryOptions({
  queryKey: ["setup-status"],
  queryFn: getSetupStatus,
  staleTime: 60_000,
  retry: 1,
});

export const useSetupStatus = () => useQuery(setupStatusQuery);
