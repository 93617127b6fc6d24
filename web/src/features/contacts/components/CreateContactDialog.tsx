import { type FormEvent, type ReactNode, useState } from "react";
import { Button, Dialog, DialogTrigger, Heading, Modal, ModalOverlay } from "react-aria-components";
import { FormError } from "../../../components/FormError.tsx";
import { formErrors, NO_ERRORS } from "../../../lib/form-errors.ts";
import { useCreateContact } from "../api/create-contact.ts";
import { useComboProblems } from "../hooks/use-combo-problems.ts";
import { openContact } from "../hooks/use-list-params.ts";
import { type ContactDraft, createInput, emptyDraft, FIELD_ALIASES, FIELD_LABELS, isBlank } from "../utils/draft.ts";
import { browserTimeZone } from "../utils/timezones.ts";
import { ContactFields } from "./ContactFields.tsx";

interface CreateContactDialogProps {
  /** "Create user" in the Inbox, "Add contact" in the Studio. */
  label: string;
  country: string;
  workspaceLanguages: string[];
}

/**
 * The button and dialog that create a contact. What the user typed lives here, outside the
 * dialog, so neither a server error nor closing the dialog by accident loses it; Save
 * (after success) and Cancel start the next one empty.
 */
export function CreateContactDialog({ label, country, workspaceLanguages }: CreateContactDialogProps) {
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<ContactDraft>(() => emptyDraft(country, browserTimeZone()));
  const [errors, setErrors] = useState(NO_ERRORS);
  const create = useCreateContact();
  const combos = useComboProblems();

  const reset = () => {
    setDraft(emptyDraft(country, browserTimeZone()));
    setErrors(NO_ERRORS);
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // A combobox showing text that names nothing would save something else than it shows.
    if (combos.refuse(event.currentTarget)) return;
    if (isBlank(draft)) {
      setErrors({ fields: {}, form: "Fill in at least a name, an email, a phone number or an external ID." });
      return;
    }
    create.mutate(createInput(draft), {
      onSuccess: (contact) => {
        setOpen(false);
        reset();
        openContact(contact.id);
      },
      onError: (error) => setErrors(formErrors(error, FIELD_LABELS, FIELD_ALIASES)),
    });
  };

  const shown: Record<string, ReactNode> = { ...errors.fields, ...combos.shown };
  const conflict = errors.conflict;
  if (conflict?.id && shown[conflict.field]) {
    const id = conflict.id;
    shown[conflict.field] = (
      <>
        {shown[conflict.field]}{" "}
        <a
          href={`?contact=${encodeURIComponent(id)}`}
          onClick={(event) => {
            event.preventDefault();
            setOpen(false);
            openContact(id);
          }}
        >
          Open the existing contact
        </a>
      </>
    );
  }

  return (
    <DialogTrigger isOpen={open} onOpenChange={setOpen}>
      <Button className="button primary">
        <span aria-hidden="true">+ </span>
        {label}
      </Button>
      <ModalOverlay className="modal-overlay" isDismissable>
        <Modal className="modal">
          <Dialog className="dialog">
            <form onSubmit={submit} noValidate>
              <Heading slot="title">{label}</Heading>
              <ContactFields
                draft={draft}
                onChange={(change) => setDraft((current) => ({ ...current, ...change }))}
                errors={shown}
                workspaceLanguages={workspaceLanguages}
                onComboProblem={combos.report}
                autoFocus
              />
              <FormError message={errors.form} />
              <div className="dialog-actions">
                <Button
                  className="button"
                  onPress={() => {
                    reset();
                    setOpen(false);
                  }}
                >
                  Cancel
                </Button>
                <Button type="submit" className="button primary" isPending={create.isPending}>
                  Save
                </Button>
              </div>
            </form>
          </Dialog>
        </Modal>
      </ModalOverlay>
    </DialogTrigger>
  );
}
