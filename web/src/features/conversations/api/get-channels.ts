import { queryOptions, useQuery } from "@tanstack/react-query";
import { request } from "../../../lib/api-client.ts";
import type { ChannelState } from "./types.ts";

/** Which channels the workspace sends on (`GET /channels`); Settings → Channels shares the key. */
export const channelsQuery = queryOptions({
  queryKey: ["channels"],
  queryFn: ({ signal }) => request<ChannelState[]>("/channels", { signal }),
  staleTime: 60_000,
});

export const useChannels = () => useQuery(channelsQuery);
