import type { ReactNode } from "react";
import { TextInput } from "../../../components/TextInput.tsx";
import type { ContactDraft } from "../utils/draft.ts";
import { LanguageField } from "./LanguageField.tsx";
import { PhoneField } from "./PhoneField.tsx";
import { TimezoneField } from "./TimezoneField.tsx";

interface ContactFieldsProps {
  draft: ContactDraft;
  onChange: (change: Partial<ContactDraft>) => void;
  errors: Record<string, ReactNode>;
  workspaceLanguages: string[];
  /** The rename does names apart, so the panel's details form leaves them out. */
  names?: boolean;
  autoFocus?: boolean;
}

/** The fields of a contact, as the create dialog and the panel's edit form show them. */
export function ContactFields({
  draft,
  onChange,
  errors,
  workspaceLanguages,
  names = true,
  autoFocus,
}: ContactFieldsProps) {
  const text = (field: keyof ContactDraft) => ({
    value: draft[field],
    onChange: (value: string) => onChange({ [field]: value }),
    error: errors[field],
  });
  return (
    <div className="form-grid">
      {names && <TextInput label="First name" autoComplete="off" autoFocus={autoFocus} {...text("firstName")} />}
      {names && <TextInput label="Last name" autoComplete="off" {...text("lastName")} />}
      <TextInput label="Email" type="email" inputMode="email" autoComplete="off" className="wide" {...text("email")} />
      <div className="wide">
        <PhoneField value={draft.phone} country={draft.phoneCountry} onChange={onChange} error={errors.phone} />
      </div>
      <LanguageField
        value={draft.language}
        onChange={(language) => onChange({ language })}
        workspaceLanguages={workspaceLanguages}
        error={errors.language}
      />
      <TimezoneField value={draft.timezone} onChange={(timezone) => onChange({ timezone })} error={errors.timezone} />
      <TextInput label="External ID" autoComplete="off" className="wide" {...text("externalId")} />
    </div>
  );
}
