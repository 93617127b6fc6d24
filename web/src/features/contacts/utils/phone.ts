import { AsYouType, type CountryCode, parsePhoneNumber } from "libphonenumber-js";
import { phoneCountries } from "../../../lib/countries.ts";
import { displayNames, distinct, exactMatch, fold, nameIn, searchNamed, speaks } from "./names.ts";

export type { CountryCode };

export interface TypedPhone {
  /** What the input shows: the digits typed, grouped as that country writes them. */
  text: string;
  /** The country the number belongs to, when the user typed + and a calling code. */
  country?: CountryCode;
}

/**
 * Formats a phone number while it is typed. A national number is grouped the way
 * `country` writes it; one starting with + is grouped by its own country, which is
 * returned so the country selector can follow. Deleting is never fought: when the user
 * removed a formatting character, the text is left as they wrote it.
 */
export function formatAsTyped(value: string, country: CountryCode | undefined, previous = ""): TypedPhone {
  if (value.length < previous.length) return { text: value };
  const formatter = new AsYouType(country || undefined);
  const text = formatter.input(value);
  const detected = value.trim().startsWith("+") ? formatter.getCountry() : undefined;
  return { text, country: detected };
}

/**
 * How a stored E.164 number is shown: numbers of the workspace's own country in the
 * national format people there dial and recognise (06 12345678), all others in the
 * international format (+44 20 7946 0958), so a foreign number is never mistaken for a
 * local one.
 */
export function displayPhone(e164: string | null, homeCountry: string): string {
  if (!e164) return "";
  try {
    const number = parsePhoneNumber(e164);
    return number.country === homeCountry ? number.formatNational() : number.formatInternational();
  } catch {
    return e164;
  }
}

/** The country a stored number belongs to, for the selector when editing it. */
export function countryOfPhone(e164: string | null): CountryCode | undefined {
  if (!e164) return undefined;
  try {
    return parsePhoneNumber(e164).country;
  } catch {
    return undefined;
  }
}

/** A country as the Phone country picker shows it. */
export interface CountryOption {
  id: CountryCode;
  /** Its name in the browser's language (shown, and what the input holds once chosen). */
  name: string;
  /** Its names in the browser's language, in English and in its own main language ("Nederland"). */
  names: string[];
  callingCode: string;
}

/** The name of a country in the language most spoken there, when the runtime has it. */
function ownName(code: string): string | undefined {
  try {
    const language = new Intl.Locale(`und-${code}`).maximize().language;
    return speaks(language) ? nameIn(displayNames(language, "region"), code) : undefined;
  } catch {
    return undefined;
  }
}

/** Every country libphonenumber knows, by name in the browser's language, with its other names. */
export function countryOptions(locale?: string): CountryOption[] {
  const english = displayNames("en", "region");
  return phoneCountries(locale).map((country) => ({
    id: country.code,
    name: country.name,
    names: distinct([country.name, nameIn(english, country.code), ownName(country.code)]),
    callingCode: country.callingCode,
  }));
}

const callingCodeOf = (text: string) => /^\+?\s*(\d{1,4})$/.exec(fold(text))?.[1];

/**
 * The countries a text finds: by any of their names, their ISO code, or their calling
 * code ("+44" and "44" find the United Kingdom, Guernsey, Jersey and the Isle of Man).
 */
export function searchCountries(options: CountryOption[], text: string): CountryOption[] {
  const digits = callingCodeOf(text);
  if (digits) return options.filter((option) => option.callingCode.startsWith(digits));
  return searchNamed(options, text);
}

/**
 * The country a text names exactly: its code ("nl"), one of its names ("Netherlands",
 * "Nederland", "Pays-Bas" in a French browser), or a calling code only it has ("+31").
 */
export function exactCountry(options: CountryOption[], text: string): CountryCode | undefined {
  const digits = callingCodeOf(text);
  if (digits) {
    const owners = options.filter((option) => option.callingCode === digits);
    return owners.length === 1 ? owners[0]!.id : undefined;
  }
  return exactMatch(options, text)?.id;
}
