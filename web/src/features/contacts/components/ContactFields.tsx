import { type ReactNode, useMemo } from "react";
import { TextInput } from "../../../components/TextInput.tsx";
import { LIMITS } from "../../../types/limits.ts";
import type { ContactDraft } from "../utils/draft.ts";
import { LanguageField } from "./LanguageField.tsx";
import { PhoneField } from "./PhoneField.tsx";
import { TimezoneField } from "./TimezoneField.tsx";

/** The fields that are comboboxes: their text must name an option before the form saves. */
export type ComboField = "language" | "timezone" | "phoneCountry";

interface ContactFieldsProps {
  draft: ContactDraft;
  onChange: (change: Partial<ContactDraft>) => void;
  errors: Record<string, ReactNode>;
  workspaceLanguages: string[];
  /** Told when a combobox's text starts or stops naming nothing (a stable function). */
  onComboProblem?: (field: ComboField, message: string | undefined) => void;
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
  onComboProblem,
  names = true,
  autoFocus,
}: ContactFieldsProps) {
  const text = (field: keyof ContactDraft) => ({
    value: draft[field],
    onChange: (value: string) => onChange({ [field]: value }),
    error: errors[field],
  });
  // One stable reporter per field, so a field's effect runs when its error changes, not on every render.
  const report = useMemo(
    () => ({
      language: (message?: string) => onComboProblem?.("language", message),
      timezone: (message?: string) => onComboProblem?.("timezone", message),
      phoneCountry: (message?: string) => onComboProblem?.("phoneCountry", message),
    }),
    [onComboProblem],
  );
  return (
    <div className="form-grid">
      {names && (
        <TextInput
          label="First name"
          autoComplete="off"
          autoFocus={autoFocus}
          maxLength={LIMITS.name}
          {...text("firstName")}
        />
      )}
      {names && <TextInput label="Last name" autoComplete="off" maxLength={LIMITS.name} {...text("lastName")} />}
      <TextInput
        label="Email"
        type="email"
        inputMode="email"
        autoComplete="off"
        className="wide"
        maxLength={LIMITS.email}
        {...text("email")}
      />
      <div className="wide">
        <PhoneField
          value={draft.phone}
          country={draft.phoneCountry}
          onChange={onChange}
          error={errors.phone}
          countryError={errors.phoneCountry}
          onCountryProblem={report.phoneCountry}
        />
      </div>
      <LanguageField
        value={draft.language}
        onChange={(language) => onChange({ language })}
        workspaceLanguages={workspaceLanguages}
        error={errors.language}
        onProblem={report.language}
      />
      <TimezoneField
        value={draft.timezone}
        onChange={(timezone) => onChange({ timezone })}
        error={errors.timezone}
        onProblem={report.timezone}
      />
      <TextInput
        label="External ID"
        autoComplete="off"
        className="wide"
        maxLength={LIMITS.externalId}
        {...text("externalId")}
      />
    </div>
  );
}
