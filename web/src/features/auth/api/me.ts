import { queryOptions, useQuery } from "@tanstack/react-query";
import { ApiError, request } from "../../../lib/api-client.ts";

import type { Me } from "../../../types/index.ts";

export type { Me };

/** Who is signed in; `null` when nobody is (the API answered 401). */
export async function getMe(): Promise<Me | null> {
  try {
    return await request<Me>("/me");
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export const meQuery = queryOptions({ queryKey: ["me"], queryFn: getMe, staleTime: 5 * 60_000, retry: 1 });

export const useMe = () => useQuery(meQuery);
