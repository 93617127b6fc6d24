import { useQuery } from "@tanstack/react-query";
import { request } from "../../../lib/api-client.ts";

export interface Tag {
  name: string;
  contactCount: number;
}

export const getTags = (signal?: AbortSignal) => request<Tag[]>("/tags", { signal });

export const useTags = () =>
  useQuery({ queryKey: ["tags"], queryFn: ({ signal }) => getTags(signal), staleTime: 60_000 });
