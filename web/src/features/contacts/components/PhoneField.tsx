import { useMemo } from "react";
import { FieldError, Input, Label, TextField } from "react-aria-components";
import { phoneCountries } from "../../../lib/countries.ts";
import { type CountryCode, formatAsTyped } from "../utils/phone.ts";

interface PhoneFieldProps {
  value: string;
  country: string;
  onChange: (change: { phone: string; phoneCountry: string }) => void;
  error?: React.ReactNode;
}

/** A phone number formatted as it is typed, read in the chosen country unless it starts with +. */
export function PhoneField({ value, country, onChange, error }: PhoneFieldProps) {
  const countries = useMemo(() => phoneCountries(), []);
  return (
    <div className="phone-field">
      <label className="field phone-country">
        <span>Phone country</span>
        <select
          value={country}
          onChange={(event) => {
            const next = event.target.value as CountryCode;
            onChange({ phone: value.startsWith("+") ? value : formatAsTyped(value, next).text, phoneCountry: next });
          }}
        >
          {countries.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name} +{c.callingCode}
            </option>
          ))}
        </select>
      </label>
      <TextField
        className="field"
        type="tel"
        autoComplete="tel"
        value={value}
        isInvalid={Boolean(error)}
        onChange={(text) => {
          const typed = formatAsTyped(text, country as CountryCode, value);
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
