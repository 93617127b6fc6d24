import { useMutation, useQueryClient } from "@tanstack/react-query";
import { request } from "../../../lib/api-client.ts";
import { contactKeys, tagKeys } from "./keys.ts";
import type { Contact, ContactInput } from "./types.ts";

export const createContact = (input: ContactInput) => request<Contact>("/contacts", { method: "POST", body: input });

export function useCreateContact() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: createContact,
    onSuccess: (contact) => {
      client.setQueryData(contactKeys.detail(contact.id), contact);
      void client.invalidateQueries({ queryKey: contactKeys.lists });
      void client.invalidateQueries({ queryKey: contactKeys.counts });
      void client.invalidateQueries({ queryKey: tagKeys.all });
    },
  });
}
