/** A language as the pickers show it. */
export interface LanguageOption {
  id: string;
  name: string;
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
      const name = names.of(code);
      if (name && name !== code) codes.push(code);
    }
  }
  return codes;
}

/** The workspace's languages first (in its order), then every other language by name. */
export function languageOptions(workspaceLanguages: string[], locale?: string): LanguageOption[] {
  const names = new Intl.DisplayNames(locale ? [locale] : undefined, { type: "language", fallback: "none" });
  const nameOf = (code: string) => names.of(code) ?? code;
  const preferred = workspaceLanguages.map((id) => ({ id, name: nameOf(id), preferred: true }));
  const taken = new Set(workspaceLanguages.map((code) => code.toLowerCase()));
  const others = knownLanguages(names)
    .filter((code) => !taken.has(code))
    .map((id) => ({ id, name: nameOf(id), preferred: false }))
    .sort((a, b) => a.name.localeCompare(b.name, locale));
  return [...preferred, ...others];
}

// Building an Intl.DisplayNames costs far more than asking it; the list asks for every row.
const namers = new Map<string, Intl.DisplayNames>();

/** "Dutch (Netherlands)" for nl-NL; the tag itself when the runtime cannot name it. */
export function languageName(tag: string | null, locale?: string): string {
  if (!tag) return "";
  let namer = namers.get(locale ?? "");
  if (!namer) {
    namer = new Intl.DisplayNames(locale ? [locale] : undefined, { type: "language", fallback: "none" });
    namers.set(locale ?? "", namer);
  }
  try {
    return namer.of(tag) ?? tag;
  } catch {
    return tag;
  }
}

const fold = (text: string) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

export function searchLanguages(options: LanguageOption[], text: string): LanguageOption[] {
  const query = fold(text.trim());
  if (query === "") return options;
  return options.filter((o) => fold(o.name).includes(query) || o.id.toLowerCase().startsWith(query));
}
