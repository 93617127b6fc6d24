import { displayNames, distinct, exactMatch, nameIn, searchNamed, speaks } from "./names.ts";

/** A language as the pickers show it. */
export interface LanguageOption {
  id: string;
  /** Its name in the browser's language (shown, and what the input holds once chosen). */
  name: string;
  /** Its names in the browser's language, in English and in itself, each once. */
  names: string[];
  /** One of the languages the workspace's bots speak. */
  preferred: boolean;
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/**
 * The ISO 639-1 languages the runtime can name. There is no Intl list of languages, so the
 * two-letter codes are tried and kept when Intl.DisplayNames knows a name for them.
 */
function knownLanguages(names: Intl.DisplayNames): string[] {
  const codes: string[] = [];
  for (const a of LETTERS) {
    for (const b of LETTERS) {
      const code = a + b;
      if (nameIn(names, code)) codes.push(code);
    }
  }
  return codes;
}

/** "Nederlands" for nl, "Deutsch (Schweiz)" for de-CH: the language's name in itself, when the runtime has it. */
function ownName(tag: string): string | undefined {
  return speaks(tag) ? nameIn(displayNames(tag, "language"), tag) : undefined;
}

function option(id: string, locale: string | undefined, preferred: boolean): LanguageOption {
  const name = languageName(id, locale);
  return { id, name, names: distinct([name, nameIn(displayNames("en", "language"), id), ownName(id)]), preferred };
}

/**
 * The workspace's languages first (in its order), then every other language by name in
 * the browser's language.
 */
export function languageOptions(workspaceLanguages: string[], locale?: string): LanguageOption[] {
  const preferred = workspaceLanguages.map((id) => option(id, locale, true));
  const taken = new Set(workspaceLanguages.map((code) => code.toLowerCase()));
  return [...preferred, ...allLanguages(locale).filter((o) => !taken.has(o.id))];
}

// Naming every language in three languages takes a noticeable moment; once per locale is enough.
const everyLanguage = new Map<string, LanguageOption[]>();

function allLanguages(locale: string | undefined): LanguageOption[] {
  let list = everyLanguage.get(locale ?? "");
  if (!list) {
    list = knownLanguages(displayNames(locale, "language"))
      .map((id) => option(id, locale, false))
      .sort((a, b) => a.name.localeCompare(b.name, locale));
    everyLanguage.set(locale ?? "", list);
  }
  return list;
}

/** "Dutch (Netherlands)" for nl-NL; the tag itself when the runtime cannot name it. */
export function languageName(tag: string | null, locale?: string): string {
  if (!tag) return "";
  return nameIn(displayNames(locale, "language"), tag) ?? tag;
}

/** The languages whose name in any of its languages contains the text, or whose code starts with it. */
export const searchLanguages = (options: LanguageOption[], text: string) => searchNamed(options, text);

/** The language the text names exactly ("Dutch", "nederlands", "NL"), if one does. */
export const exactLanguage = (options: LanguageOption[], text: string) => exactMatch(options, text)?.id;
