import { useQuery } from "@tanstack/react-query";
import { request } from "../../../lib/api-client.ts";
import type { Template } from "./types.ts";

/** The workspace's WhatsApp templates, read from Meta by the server. */
export const useTemplates = (enabled: boolean) =>
  useQuery({
    queryKey: ["channels", "whatsapp", "templates"],
    queryFn: ({ signal }) => request<Template[]>("/channels/whatsapp/templates", { signal }),
    enabled,
    staleTime: 5 * 60_000,
    retry: false,
  });
