import type { ReactNode } from "react";
import { TextArea as AriaTextArea, FieldError, Label, Text, TextField } from "react-aria-components";

interface TextAreaProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: ReactNode;
  description?: ReactNode;
  rows?: number;
  isRequired?: boolean;
  className?: string;
}

/** A labelled multi-line field; its error and description are shown beside it and announced with it. */
export function TextArea({ label, error, description, rows = 4, className, ...props }: TextAreaProps) {
  return (
    <TextField {...props} isInvalid={Boolean(error)} className={`field ${className ?? ""}`}>
      <Label>{label}</Label>
      <AriaTextArea rows={rows} />
      {description && (
        <Text slot="description" className="hint">
          {description}
        </Text>
      )}
      <FieldError className="field-error">{error}</FieldError>
    </TextField>
  );
}
