import { type FormEvent, useState } from "react";
import { Button } from "react-aria-components";
import { FormError } from "../../../components/FormError.tsx";
import type { Contact } from "../api/types.ts";
import { useComboProblems } from "../hooks/use-combo-problems.ts";
import { useGuardedUpdate } from "../hooks/use-guarded-update.ts";
import { type ContactDraft, draftOf, patchInput } from "../utils/draft.ts";
import { ConflictNotice } from "./ConflictNotice.tsx";
import { ContactFields } from "./ContactFields.tsx";

interface DetailsFormProps {
  contact: Contact;
  homeCountry: string;
  workspaceLanguages: string[];
  onDone: () => void;
}

/** The panel's form for everything but the name; sends only what changed. */
export function DetailsForm({ contact, homeCountry, workspaceLanguages, onDone }: DetailsFormProps) {
  const [initial] = useState(contact);
  const [before] = useState(() => draftOf(initial, homeCountry));
  const [draft, setDraft] = useState<ContactDraft>(before);
  const { send, reapply, theirs, errors, isPending } = useGuardedUpdate(initial, onDone);
  const combos = useComboProblems();

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // A combobox showing text that names nothing would save something else than it shows.
    if (combos.refuse(event.currentTarget)) return;
    const changes = patchInput(before, draft);
    if (Object.keys(changes).length === 0) onDone();
    else send(changes);
  };

  return (
    <form
      className="details-form"
      onSubmit={submit}
      aria-label="Edit details"
      noValidate
      onKeyDown={(event) => {
        if (event.key !== "Escape" || event.defaultPrevented) return;
        event.stopPropagation();
        onDone();
      }}
    >
      <ContactFields
        draft={draft}
        onChange={(change) => setDraft((current) => ({ ...current, ...change }))}
        errors={{ ...errors.fields, ...combos.shown }}
        workspaceLanguages={workspaceLanguages}
        onComboProblem={combos.report}
        names={false}
      />
      <FormError message={errors.form} />
      {theirs ? (
        <ConflictNotice
          theirs={theirs}
          before={initial}
          mine={patchInput(before, draft)}
          onReapply={() => {
            if (!combos.refuse()) reapply(patchInput(before, draft));
          }}
          onDiscard={onDone}
        />
      ) : (
        <div className="row-actions">
          <Button type="submit" className="button primary" isPending={isPending}>
            Save details
          </Button>
          <Button className="button" onPress={onDone}>
            Cancel
          </Button>
        </div>
      )}
    </form>
  );
}
