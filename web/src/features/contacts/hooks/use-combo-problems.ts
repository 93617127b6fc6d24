import { useCallback, useState } from "react";

/** Which comboboxes of a form hold text that names nothing, by field. */
export type ComboProblems = Record<string, string>;

const NONE: ComboProblems = {};

/**
 * Lets a form refuse to save while one of its comboboxes shows text that would not be
 * saved. Each field reports its error as it changes (`report`); `refuse()` at submit says
 * whether to stop, and from then on `shown` holds those errors for the form to put beside
 * their fields (a field left by Enter, without blurring, shows its error this way).
 */
export function useComboProblems() {
  const [problems, setProblems] = useState<ComboProblems>(NONE);
  const [refused, setRefused] = useState(false);
  const report = useCallback((field: string, message: string | undefined) => {
    setProblems((current) => {
      if (current[field] === message) return current;
      const next = Object.fromEntries(Object.entries(current).filter(([key]) => key !== field));
      return message === undefined ? next : { ...next, [field]: message };
    });
  }, []);
  return {
    report,
    /** At submit: whether to stop. When it must, the first such field of `form` takes the focus, so its error is read out. */
    refuse: (form?: HTMLFormElement) => {
      const blocked = Object.keys(problems).length > 0;
      setRefused(blocked);
      // React Aria keeps the native validity of a combobox in step with its text.
      if (blocked) form?.querySelector<HTMLElement>("[role=combobox]:invalid")?.focus();
      return blocked;
    },
    shown: refused ? problems : NONE,
  };
}
