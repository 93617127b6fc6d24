import { queryOptions, useQuery } from "@tanstack/react-query";
import { request } from "../../../lib/api-client.ts";
import type { Contact } from "./types.ts";

export const getContact = (id: string, signal?: AbortSignal) =>
  request<Contact>(`/contacts/${encodeURIComponent(id)}`, { signal });

export const contactQuery = (id: string) =>
  queryOptions({ queryKey: ["contacts", "detail", id], queryFn: ({ signal }) => getContact(id, signal) });

export const useContact = (id: string, options: { refetchInterval?: number } = {}) =>
  useQuery({ ...contactQuery(id), ...options });
