import type { FormEvent } from "react";
import { useState } from "react";
import { Button } from "react-aria-components";
import type { Contact } from "../api/types.ts";
import { useGuardedUpdate } from "../hooks/use-guarded-update.ts";
import { ConflictNotice } from "./ConflictNotice.tsx";
import { TextInput } from "./TextInput.tsx";

interface RenameFormProps {
  contact: Contact;
  onDone: () => void;
}

/** First and last name edited in place: Enter saves, Escape cancels. */
export function RenameForm({ contact, onDone }: RenameFormProps) {
  const [firstName, setFirstName] = useState(contact.firstName ?? "");
  const [lastName, setLastName] = useState(contact.lastName ?? "");
  const { send, reapply, theirs, errors, isPending } = useGuardedUpdate(contact, onDone);
  const changes = () => ({ firstName: firstName.trim() || null, lastName: lastName.trim() || null });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    send(changes());
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
          onChange={setFirstName}
          error={errors.fields.firstName}
          autoFocus
        />
        <TextInput label="Last name" value={lastName} onChange={setLastName} error={errors.fields.lastName} />
      </div>
      {errors.form && (
        <p className="form-error" role="alert">
          {errors.form}
        </p>
      )}
      {theirs ? (
        <ConflictNotice theirs={theirs} mine={changes()} onReapply={() => reapply(changes())} onDiscard={onDone} />
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
