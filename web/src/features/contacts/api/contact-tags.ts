import { useMutation, useQueryClient } from "@tanstack/react-query";
import { request } from "../../../lib/api-client.ts";
import { tagKeys } from "./keys.ts";
import type { Contact } from "./types.ts";
import { contactChanged } from "./update-contact.ts";

export const addTags = ({ id, tags }: { id: string; tags: string[] }) =>
  request<Contact>(`/contacts/${encodeURIComponent(id)}/tags`, { method: "POST", body: { tags } });

export const removeTag = ({ id, tag }: { id: string; tag: string }) =>
  request<Contact>(`/contacts/${encodeURIComponent(id)}/tags/${encodeURIComponent(tag)}`, { method: "DELETE" });

function useTagMutation<T>(mutationFn: (input: T) => Promise<Contact>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: (contact) => {
      contactChanged(client, contact);
      void client.invalidateQueries({ queryKey: tagKeys.all });
    },
  });
}

export const useAddTags = () => useTagMutation(addTags);
export const useRemoveTag = () => useTagMutation(removeTag);
