import { useMutation, useQueryClient } from "@tanstack/react-query";
import { request } from "../../../lib/api-client.ts";
import type { Contact, ContactInput } from "./types.ts";

export const createContact = (input: ContactInput) => request<Contact>("/contacts", { method: "POST", body: input });

export function useCreateContact() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: createContact,
    onSuccess: (contact) => {
      client.setQueryData(["contacts", "detail", contact.id], contact);
      void client.invalidateQueries({ queryKey: ["contacts", "list"] });
      void client.invalidateQueries({ queryKey: ["contacts", "count"] });
      void client.invalidateQueries({ queryKey: ["tags"] });
    },
  });
}
