import { AsYouType, type CountryCode, parsePhoneNumber } from "libphonenumber-js";

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
export function formatAsTyped(value: string, country: CountryCode, previous = ""): TypedPhone {
  if (value.length < previous.length) return { text: value };
  const formatter = new AsYouType(country);
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
