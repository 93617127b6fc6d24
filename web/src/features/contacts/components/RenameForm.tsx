import type { FormEvent } from "react";
import { useState } from "react";
import { Button } from "react-aria-components";
import { FormError } from "../../../components/FormError.tsx";
import { TextInput } from "../../../components/TextInput.tsx";
import { LIMITS } from "../../../types/limits.ts";
import type { Contact, ContactInput } from "../api/types.ts";
import { useGuardedUpdate } from "../hooks/use-guarded-update.ts";
import { ConflictNotice } from "./ConflictNotice.tsx";

interface RenameFormProps {
  contact: Contact;
  onDone: () => void;
}

/** First and last name edited in place: Enter saves, Escape cancels. */
export function RenameForm({ contact, onDone }: RenameFormProps) {
  const [initial] = useState(contact);
  const [firstName, setFirstName] = useState(initial.firstName ?? "");
  const [lastName, setLastName] = useState(initial.lastName ?? "");
  const { send, reapply, theirs, errors, isPending } = useGuardedUpdate(initial, onDone);
  // Only what the user changed is sent, so a save never undoes someone else's edit of the other name.
  const changes = () => {
    const result: ContactInput = {};
    if (firstName.trim() !== (initial.firstName ?? "")) result.firstName = firstName.trim() || null;
    if (lastName.trim() !== (initial.lastName ?? "")) result.lastName = lastName.trim() || null;
    return result;
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const changed = changes();
    if (Object.keys(changed).length === 0) onDone();
    else send(changed);
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key !== "Escape") return;
    event.stopPropagation();
    onDone();
  };

  return (
    <form className="rename" onSubmit={submit} aria-label="Rename contact" onKeyDown={onKeyDown}>
      <div className="rename-fields">
        <TextInput
          label="First name"
          value={firstName}
          maxLength={LIMITS.name}
          onChange={setFirstName}
          error={errors.fields.firstName}
          autoFocus
        />
        <TextInput
          label="Last name"
          value={lastName}
          maxLength={LIMITS.name}
          onChange={setLastName}
          error={errors.fields.lastName}
        />
      </div>
      <FormError message={errors.form} />
      {theirs ? (
        <ConflictNotice
          theirs={theirs}
          before={initial}
          mine={changes()}
          onReapply={() => reapply(changes())}
          onDiscard={onDone}
        />
      ) : (
        <div className="row-actions">
          <Button type="submit" className="button primary" isPending={isPending}>
            Save name
          </Button>
          <Button className="button" onPress={onDone}>
            Cancel
          </Button>
          <span className="hint">Enter saves, Escape cancels.</span>
        </div>
      )}
    </form>
  );
}
