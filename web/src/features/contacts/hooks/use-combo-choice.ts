import { useEffect, useState } from "react";
import type { ComboBoxProps } from "react-aria-components";

export interface ComboChoice {
  /** The chosen key, "" for none. */
  value: string;
  onChange: (key: string) => void;
  /** What the input shows for a key once it is chosen. */
  nameOf: (key: string) => string;
  /** The key a text names exactly (by any of its names or its code), if one does. */
  resolve: (text: string) => string | undefined;
  /** The error for a text that names nothing. */
  problem: (text: string) => string;
  /** Told whenever the text's error changes (undefined when there is none), so Save can wait. */
  onProblem?: (message: string | undefined) => void;
}

/**
 * The rule every picker of the contact form follows, on top of React Aria's ComboBox: the
 * input never shows text that will not be saved. Choosing an option puts its name in the
 * input. When the field is left (or Enter, Tab or Escape commits it), text that names an
 * option exactly chooses that option; text that names nothing stays as typed and is
 * invalid, so the field shows its error (React Aria's native validation: on leaving, not
 * while typing) and the form does not send; clearing the text clears the value.
 */
export function useComboChoice({ value, onChange, nameOf, resolve, problem, onProblem }: ComboChoice) {
  const shown = value ? nameOf(value) : "";
  const [input, setInput] = useState(shown);
  // A value chosen elsewhere (a phone number typed with +44, a reset form) replaces the text.
  const [lastShown, setLastShown] = useState(shown);
  if (lastShown !== shown) {
    setLastShown(shown);
    setInput(shown);
  }

  const check = (text: string) =>
    text.trim() === "" || text === shown || resolve(text) !== undefined ? undefined : problem(text.trim());
  const error = check(input);
  useEffect(() => {
    onProblem?.(error);
    return () => onProblem?.(undefined);
  }, [error, onProblem]);

  const choose = (key: string) => {
    onChange(key);
    setInput(key ? nameOf(key) : "");
  };
  const commit = () => {
    if (input === shown) return;
    if (input.trim() === "") return choose("");
    const key = resolve(input);
    if (key !== undefined) choose(key);
  };

  return {
    input,
    /** Whether the list should show everything (the text is the chosen option's, not a search). */
    browsing: input === shown,
    props: {
      inputValue: input,
      onInputChange: (text: string) => {
        setInput(text);
        if (text === "" && value) onChange("");
      },
      selectedKey: value || null,
      // A new key is a choice from the list; the same key again is React Aria committing the
      // field (leaving it, Enter, Escape) with text that may name another option.
      onSelectionChange: (key: React.Key | null) => {
        if (key !== null && String(key) !== value) choose(String(key));
        else commit();
      },
      onBlur: commit,
      allowsCustomValue: false,
      validationBehavior: "native",
      validate: ({ inputValue }: { inputValue: string }) => check(inputValue),
    } satisfies Partial<ComboBoxProps<object>>,
  };
}
