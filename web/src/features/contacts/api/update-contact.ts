import { type QueryClient, useMutation, useQueryClient } from "@tanstack/react-query";
import { request } from "../../../lib/api-client.ts";
import type { Contact, ContactInput } from "./types.ts";

export interface UpdateContact {
  id: string;
  /** The version the user saw; a newer one on the server answers 412 and changes nothing. */
  version: number;
  changes: ContactInput;
}

export const updateContact = ({ id, version, changes }: UpdateContact) =>
  request<Contact>(`/contacts/${encodeURIComponent(id)}`, {
    method: "PATCH",
    body: changes,
    headers: { "if-match": `"${version}"` },
  });

/** A changed contact replaces its cached copy; lists and counts are fetched again. */
export function contactChanged(client: QueryClient, contact: Contact) {
  client.setQueryData(["contacts", "detail", contact.id], contact);
  void client.invalidateQueries({ queryKey: ["contacts", "list"] });
  void client.invalidateQueries({ queryKey: ["contacts", "count"] });
}

export function useUpdateContact() {
  const client = useQueryClient();
  return useMutation({ mutationFn: updateContact, onSuccess: (contact) => contactChanged(client, contact) });
}
