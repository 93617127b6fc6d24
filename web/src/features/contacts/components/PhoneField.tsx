import { type ReactNode, useMemo } from "react";
import {
  Button,
  ComboBox,
  FieldError,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  TextField,
} from "react-aria-components";
import { LIMITS } from "../../../types/limits.ts";
import { useComboChoice } from "../hooks/use-combo-choice.ts";
import {
  type CountryCode,
  type CountryOption,
  countryOptions,
  exactCountry,
  formatAsTyped,
  searchCountries,
} from "../utils/phone.ts";

interface PhoneFieldProps {
  value: string;
  country: string;
  onChange: (change: { phone: string; phoneCountry: string }) => void;
  error?: ReactNode;
  /** The Phone country picker's own error. */
  countryError?: ReactNode;
  onCountryProblem?: (message: string | undefined) => void;
}

/**
 * A phone number formatted as it is typed, read in the chosen country unless it starts
 * with +. The country is found by its name (in the browser's language, English or its
 * own), its code or its calling code ("+44").
 */
export function PhoneField({ value, country, onChange, error, countryError, onCountryProblem }: PhoneFieldProps) {
  const countries = useMemo(() => countryOptions(), []);
  const choice = useComboChoice({
    value: country,
    onChange: (next) =>
      onChange({
        phone: value.startsWith("+")
          ? value
          : formatAsTyped(value, (next || undefined) as CountryCode | undefined).text,
        phoneCountry: next,
      }),
    nameOf: (code) => countries.find((c) => c.id === code)?.name ?? code,
    resolve: (text) => exactCountry(countries, text),
    problem: (text) => `“${text}” is not a country in the list. Choose one, or clear the field.`,
    onProblem: onCountryProblem,
  });
  const items = choice.browsing ? countries : searchCountries(countries, choice.input);
  return (
    <div className="phone-field">
      <ComboBox
        className="field phone-country"
        items={items}
        {...choice.props}
        isInvalid={countryError ? true : undefined}
        menuTrigger="focus"
      >
        <Label>Phone country</Label>
        <div className="combo">
          <Input placeholder="Country or +code" />
          <Button aria-label="Show countries" className="combo-button">
            <span aria-hidden="true">▾</span>
          </Button>
        </div>
        <FieldError className="field-error">{countryError}</FieldError>
        <Popover className="popover" placement="bottom start">
          <ListBox className="listbox" renderEmptyState={() => <p className="listbox-empty">No country matches.</p>}>
            {(option: CountryOption) => (
              <ListBoxItem id={option.id} textValue={option.name} className="listbox-item">
                {option.name} <span className="offset">+{option.callingCode}</span>
              </ListBoxItem>
            )}
          </ListBox>
        </Popover>
      </ComboBox>
      <TextField
        className="field"
        type="tel"
        autoComplete="tel"
        maxLength={LIMITS.phone}
        value={value}
        isInvalid={Boolean(error)}
        onChange={(text) => {
          const typed = formatAsTyped(text, (country || undefined) as CountryCode | undefined, value);
          onChange({ phone: typed.text, phoneCountry: typed.country ?? country });
        }}
      >
        <Label>Phone</Label>
        <Input inputMode="tel" />
        <FieldError className="field-error">{error}</FieldError>
      </TextField>
    </div>
  );
}
