import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError } from "../../../lib/api-client.ts";
import { type FormErrors, formErrors, NO_ERRORS } from "../../../lib/form-errors.ts";
import { getContact } from "../api/get-contact.ts";
import type { Contact, ContactInput } from "../api/types.ts";
import { contactChanged, useUpdateContact } from "../api/update-contact.ts";
import { FIELD_ALIASES, FIELD_LABELS } from "../utils/draft.ts";

/**
 * Saves changes to a contact against the version the user saw (If-Match). When someone
 * else saved first (412), it loads their version and keeps the user's changes, so the
 * form can show both and send the user's again on top of theirs.
 */
export function useGuardedUpdate(contact: Contact, onSaved: (contact: Contact) => void) {
  // The version the user started editing; a refetch in the background must not move it.
  const [version, setVersion] = useState(contact.version);
  const [theirs, setTheirs] = useState<Contact | null>(null);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const update = useUpdateContact();
  const client = useQueryClient();

  const send = (changes: ContactInput, atVersion = version) => {
    setErrors(NO_ERRORS);
    setTheirs(null);
    update.mutate(
      { id: contact.id, version: atVersion, changes },
      {
        onSuccess: onSaved,
        onError: async (error) => {
          if (error instanceof ApiError && error.status === 412) {
            try {
              const current = await getContact(contact.id);
              contactChanged(client, current);
              setTheirs(current);
            } catch (reload) {
              setErrors(formErrors(reload, FIELD_LABELS));
            }
            return;
          }
          setErrors(formErrors(error, FIELD_LABELS, FIELD_ALIASES));
        },
      },
    );
  };

  return {
    send,
    /** Sends the same changes again over the version now on the server. */
    reapply: (changes: ContactInput) => {
      if (!theirs) return;
      setVersion(theirs.version);
      send(changes, theirs.version);
    },
    theirs,
    errors,
    isPending: update.isPending,
  };
}
