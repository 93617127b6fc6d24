import { useMutation, useQueryClient } from "@tanstack/react-query";
import { request } from "../../../lib/api-client.ts";
import type { Contact } from "./types.ts";
import { contactChanged } from "./update-contact.ts";

export const removeIdentity = ({ id, channel, address }: { id: string; channel: string; address: string }) =>
  request<Contact>(
    `/contacts/${encodeURIComponent(id)}/identities/${encodeURIComponent(channel)}/${encodeURIComponent(address)}`,
    { method: "DELETE" },
  );

export function useRemoveIdentity() {
  const client = useQueryClient();
  return useMutation({ mutationFn: removeIdentity, onSuccess: (contact) => contactChanged(client, contact) });
}
