import { useQuery } from "@tanstack/react-query";
import { request } from "../../../lib/api-client.ts";
import { tagKeys } from "./keys.ts";

export interface Tag {
  name: string;
  contactCount: number;
}

export const getTags = (signal?: AbortSignal) => request<Tag[]>("/tags", { signal });

export const useTags = () =>
  useQuery({ queryKey: tagKeys.all, queryFn: ({ signal }) => getTags(signal), staleTime: 60_000 });
