import type { ReactNode } from "react";
import { FieldError, Input, Label, Text, TextField } from "react-aria-components";

interface TextInputProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: ReactNode;
  /** A hint under the field, read out with it (aria-describedby). */
  description?: ReactNode;
  placeholder?: string;
  type?: "text" | "email" | "tel" | "password" | "search";
  autoComplete?: string;
  /** The longest value, in characters (the server's LIMITS, web/src/types/limits.ts). */
  maxLength?: number;
  autoFocus?: boolean;
  isRequired?: boolean;
  inputMode?: "text" | "email" | "tel";
  className?: string;
  onKeyDown?: (event: React.KeyboardEvent) => void;
}

/** A labelled text field whose error, when there is one, is shown beside it and announced with it. */
export function TextInput({
  label,
  error,
  description,
  placeholder,
  className,
  onKeyDown,
  inputMode,
  ...props
}: TextInputProps) {
  return (
    <TextField {...props} isInvalid={Boolean(error)} className={`field ${className ?? ""}`} onKeyDown={onKeyDown}>
      <Label>{label}</Label>
      <Input inputMode={inputMode} placeholder={placeholder} />
      {description && (
        <Text slot="description" className="hint">
          {description}
        </Text>
      )}
      <FieldError className="field-error">{error}</FieldError>
    </TextField>
  );
}
