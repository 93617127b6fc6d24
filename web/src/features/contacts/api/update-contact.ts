import { type InfiniteData, type QueryClient, useMutation, useQueryClient } from "@tanstack/react-query";
import { request } from "../../../lib/api-client.ts";
import type { ContactPage } from "./get-contacts.ts";
import { contactKeys } from "./keys.ts";
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

/**
 * A changed contact replaces its copy everywhere it is cached, the loaded list pages
 * included. Refetching a list would ask again for every page scrolled through, so the
 * lists are only marked stale (fetched again when next shown); counts are fetched now.
 */
export function contactChanged(client: QueryClient, contact: Contact) {
  client.setQueryData(contactKeys.detail(contact.id), contact);
  client.setQueriesData<InfiniteData<ContactPage>>({ queryKey: contactKeys.lists }, (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((page) =>
            page.items.some((item) => item.id === contact.id)
              ? { ...page, items: page.items.map((item) => (item.id === contact.id ? contact : item)) }
              : page,
          ),
        }
      : data,
  );
  void client.invalidateQueries({ queryKey: contactKeys.lists, refetchType: "none" });
  void client.invalidateQueries({ queryKey: contactKeys.counts });
}

export function useUpdateContact() {
  const client = useQueryClient();
  return useMutation({ mutationFn: updateContact, onSuccess: (contact) => contactChanged(client, contact) });
}
