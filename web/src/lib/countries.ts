import { type CountryCode, getCountries, getCountryCallingCode } from "libphonenumber-js";

export interface Country {
  code: CountryCode;
  name: string;
  callingCode: string;
}

/** Every country libphonenumber knows, by name in the user's language, with its calling code. */
export function phoneCountries(locale?: string): Country[] {
  const names = new Intl.DisplayNames(locale ? [locale] : undefined, { type: "region" });
  return getCountries()
    .map((code) => ({ code, name: names.of(code) ?? code, callingCode: getCountryCallingCode(code) }))
    .sort((a, b) => a.name.localeCompare(b.name, locale));
}
