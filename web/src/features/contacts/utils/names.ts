/**
 * Matching what a person types against the names of a choice (a language, a zone, a
 * country): case, accents and runs of spaces do not count, so "francais", "Français" and
 * " FRANÇAIS " are the same text.
 */
export const fold = (text: string) =>
  text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/g, " ").trim();

/** Something a combobox offers: its key and every name it may be typed as. */
export interface Named {
  id: string;
  /** The names the option answers to, any language; the first is the one shown. */
  names: string[];
}

/**
 * The option `text` names exactly: by its code (any case), else by one of its names.
 * Codes win over names ("de" is German, not a language called "De"); among names the
 * first option in list order wins, so the workspace's own languages come first.
 */
export function exactMatch<T extends Named>(options: T[], text: string): T | undefined {
  const query = fold(text);
  if (query === "") return undefined;
  return (
    options.find((option) => option.id.toLowerCase() === query) ??
    options.find((option) => option.names.some((name) => fold(name) === query))
  );
}

/**
 * The options whose code starts with `text` or one of whose names contains it, the
 * exact and prefix matches first (in list order within each rank).
 */
export function searchNamed<T extends Named>(options: T[], text: string): T[] {
  const query = fold(text);
  if (query === "") return options;
  const ranked: { option: T; rank: number }[] = [];
  for (const option of options) {
    const names = option.names.map(fold);
    const code = option.id.toLowerCase();
    let rank: number;
    if (code === query || names.includes(query)) rank = 0;
    else if (code.startsWith(query) || names.some((name) => name.startsWith(query))) rank = 1;
    else if (names.some((name) => name.includes(query))) rank = 2;
    else continue;
    ranked.push({ option, rank });
  }
  return ranked.sort((a, b) => a.rank - b.rank).map((entry) => entry.option);
}

const namers = new Map<string, Intl.DisplayNames>();

/** A cached Intl.DisplayNames (building one costs far more than asking it). */
export function displayNames(locale: string | undefined, type: "language" | "region"): Intl.DisplayNames {
  const key = `${type}:${locale ?? ""}`;
  let namer = namers.get(key);
  if (!namer) {
    namer = new Intl.DisplayNames(locale ? [locale] : undefined, { type, fallback: "none" });
    namers.set(key, namer);
  }
  return namer;
}

/** `of` that answers undefined instead of throwing for a tag Intl rejects. */
export function nameIn(namer: Intl.DisplayNames, code: string): string | undefined {
  try {
    const name = namer.of(code);
    return name && name !== code ? name : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the runtime has names in `locale` itself, not a fallback to another language. */
export const speaks = (locale: string) => {
  try {
    return Intl.DisplayNames.supportedLocalesOf([locale]).length > 0;
  } catch {
    return false;
  }
};

/** The names in order, each once (by its folded form). */
export function distinct(names: (string | undefined)[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const name of names) {
    if (!name || seen.has(fold(name))) continue;
    seen.add(fold(name));
    out.push(name);
  }
  return out;
}
