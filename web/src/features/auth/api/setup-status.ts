import { queryOptions, useQuery } from "@tanstack/react-query";
import { request } from "../../../lib/api-client.ts";

/** `GET /setup`: whether `POST /setup` would be accepted now, and whether no workspace exists yet. */
export interface SetupStatus {
  open: boolean;
  firstRun: boolean;
}

export const getSetupStatus = () => request<SetupStatus>("/setup");

export const setupStatusQuery = queryOptions({
  queryKey: ["setup-status"],
  queryFn: getSetupStatus,
  staleTime: 60_000,
  retry: 1,
});

export const useSetupStatus = () => useQuery(setupStatusQuery);
